"""Reflection prompts for the digest, chosen by what a person is working on and what gets in the way.

An evening digest reports on the day that is ending, so its prompts look back at today and ahead
to tomorrow. A morning digest reports on yesterday and previews today, so its prompts look back at
yesterday and ahead to today; a 07:00 email asking what happened "today" would ask about a day
that has barely started.
"""

from datetime import date

EVENING_GOAL_PROMPTS = {
    "health": [
        "What made moving your body easier today, and how can you set that up again?",
        "When did you feel most energetic today? What came just before it?",
    ],
    "learning": [
        "What is one thing you understand today that you didn't last week?",
        "Which part of your practice felt hardest, and what would make it 10% easier?",
    ],
    "mindfulness": [
        "When did you notice yourself rushing today? What did it feel like?",
        "What is one small moment from today you'd like to remember?",
    ],
    "productivity": [
        "Which task gave you the most progress for the least effort today?",
        "What pulled your attention away most today, and can you move it out of reach tomorrow?",
    ],
    "relationships": [
        "Who did you feel closest to today, and what made it so?",
        "Is there someone you'd like to reach out to tomorrow? What would you say?",
    ],
    "creativity": [
        "What did you make or imagine today, however small?",
        "Where do your best ideas show up? How can you be there more often?",
    ],
    "finances": [
        "Which purchase this week felt most worth it, and which least?",
        "What is one money decision you can make easier for future you?",
    ],
    "sleep": [
        "What will the hour before bed look like tonight? What would you keep or change?",
        "How rested did you feel this morning, and what might explain it?",
    ],
}

MORNING_GOAL_PROMPTS = {
    "health": [
        "What made moving your body easier yesterday, and how can you set that up again today?",
        "When do you expect to have the most energy today? Could your habit go there?",
    ],
    "learning": [
        "What is one thing you understand now that you didn't last week?",
        "Which part of your practice felt hardest yesterday, and what would make it 10% easier today?",
    ],
    "mindfulness": [
        "When did you notice yourself rushing yesterday? What did it feel like?",
        "What is one small moment from yesterday you'd like to remember?",
    ],
    "productivity": [
        "Which task gave you the most progress for the least effort yesterday?",
        "What pulled your attention away most yesterday, and can you move it out of reach today?",
    ],
    "relationships": [
        "Who did you feel closest to yesterday, and what made it so?",
        "Is there someone you'd like to reach out to today? What would you say?",
    ],
    "creativity": [
        "What did you make or imagine yesterday, however small?",
        "Where do your best ideas show up? How can you be there more often today?",
    ],
    "finances": [
        "Which purchase this week felt most worth it, and which least?",
        "What is one money decision you can make easier for future you today?",
    ],
    "sleep": [
        "What did the hour before bed look like last night? What would you keep or change tonight?",
        "How rested do you feel this morning, and what might explain it?",
    ],
}

EVENING_OBSTACLE_PROMPTS = {
    "time": ["Where could a two-minute version of your habit fit into tomorrow?"],
    "motivation": ["Why did you start? Does that reason still feel true today?"],
    "forgetting": ["What do you already do every day that your habit could follow right after?"],
    "energy": ["At what time of day do you have the most energy? Is your habit planned there?"],
    "restarting": ["If you miss a day, what is the smallest step that gets you going again?"],
    "other": ["What got in the way today, and what is one thing you could try differently?"],
}

MORNING_OBSTACLE_PROMPTS = {
    "time": ["Where could a two-minute version of your habit fit into today?"],
    "motivation": ["Why did you start? Does that reason still feel true this morning?"],
    "forgetting": ["What will you do today that your habit could follow right after?"],
    "energy": ["When will your energy be highest today? Is your habit planned there?"],
    "restarting": ["If yesterday slipped, what is the smallest step that gets you going again today?"],
    "other": ["What got in the way yesterday, and what is one thing you could try differently today?"],
}

EVENING_GENERAL_PROMPTS = [
    "What went better than you expected today?",
    "What is one thing you'd like tomorrow-you to thank you for?",
]

MORNING_GENERAL_PROMPTS = [
    "What went better than you expected yesterday?",
    "What is one small thing that would make today a good day?",
]


def prompt_pool(goals, obstacle: str, *, is_morning: bool) -> list[tuple[str, str]]:
    """Every prompt that fits a person at this time of day, as (stable key, text), most specific first."""
    if is_morning:
        by_goal, by_obstacle, general, suffix = MORNING_GOAL_PROMPTS, MORNING_OBSTACLE_PROMPTS, MORNING_GENERAL_PROMPTS, "-morning"
    else:
        by_goal, by_obstacle, general, suffix = EVENING_GOAL_PROMPTS, EVENING_OBSTACLE_PROMPTS, EVENING_GENERAL_PROMPTS, ""
    pool = []
    for goal in goals:
        pool += [(f"{goal}{suffix}-{i}", text) for i, text in enumerate(by_goal.get(goal, ()))]
    pool += [(f"{obstacle}{suffix}-{i}", text) for i, text in enumerate(by_obstacle.get(obstacle, ()))]
    return pool + [(f"general{suffix}-{i}", text) for i, text in enumerate(general)]


def choose_prompt(goals, obstacle: str, day: date, *, is_morning: bool) -> tuple[str, str]:
    """One prompt per day, rotating through the pool so consecutive days never repeat."""
    pool = prompt_pool(goals, obstacle, is_morning=is_morning)
    return pool[day.toordinal() % len(pool)]
