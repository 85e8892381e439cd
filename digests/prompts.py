"""Reflection prompts for the digest, chosen by what a person is working on and what gets in the way."""

from datetime import date

GOAL_PROMPTS = {
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
        "What did the hour before bed look like yesterday? What would you keep or change?",
        "How rested did you feel this morning, and what might explain it?",
    ],
}

OBSTACLE_PROMPTS = {
    "time": ["Where could a two-minute version of your habit fit into tomorrow?"],
    "motivation": ["Why did you start? Does that reason still feel true today?"],
    "forgetting": ["What do you already do every day that your habit could follow right after?"],
    "energy": ["At what time of day do you have the most energy? Is your habit planned there?"],
    "restarting": ["If you miss a day, what is the smallest step that gets you going again?"],
    "other": ["What got in the way today, and what is one thing you could try differently?"],
}

GENERAL_PROMPTS = [
    "What went better than you expected today?",
    "What is one thing you'd like tomorrow-you to thank you for?",
]


def prompt_pool(goals, obstacle: str) -> list[tuple[str, str]]:
    """Every prompt that fits a person, as (stable key, text), most specific first."""
    pool = []
    for goal in goals:
        pool += [(f"{goal}-{i}", text) for i, text in enumerate(GOAL_PROMPTS.get(goal, ()))]
    pool += [(f"{obstacle}-{i}", text) for i, text in enumerate(OBSTACLE_PROMPTS.get(obstacle, ()))]
    return pool + [(f"general-{i}", text) for i, text in enumerate(GENERAL_PROMPTS)]


def choose_prompt(goals, obstacle: str, day: date) -> tuple[str, str]:
    """One prompt per day, rotating through the pool so consecutive days never repeat."""
    pool = prompt_pool(goals, obstacle)
    return pool[day.toordinal() % len(pool)]
