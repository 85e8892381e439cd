"""Reflection prompts fit the time of day the digest arrives."""

import datetime as dt
from itertools import pairwise

import pytest

from digests.prompts import (
    EVENING_GOAL_PROMPTS,
    EVENING_OBSTACLE_PROMPTS,
    choose_prompt,
    prompt_pool,
)

GOALS = sorted(EVENING_GOAL_PROMPTS)
OBSTACLES = [*sorted(EVENING_OBSTACLE_PROMPTS), ""]
JUNE_1 = dt.date(2026, 6, 1)


@pytest.mark.parametrize("obstacle", OBSTACLES)
def test_morning_prompts_look_back_at_yesterday_and_ahead_at_today(obstacle):
    evening = {text for _, text in prompt_pool(GOALS, obstacle, is_morning=False)}
    for key, text in prompt_pool(GOALS, obstacle, is_morning=True):
        assert "-morning-" in key and "tomorrow" not in text.lower(), key
        if "today" in text.lower():
            assert text not in evening, key   # an evening prompt's "today" is the day that has ended


@pytest.mark.parametrize("obstacle", OBSTACLES)
def test_evening_prompts_are_about_the_day_that_is_ending(obstacle):
    pool = prompt_pool(GOALS, obstacle, is_morning=False)
    assert all("yesterday" not in text.lower() and "-morning-" not in key for key, text in pool)


def test_prompts_still_follow_goals_and_obstacle_and_rotate_in_the_morning():
    keys = [choose_prompt(["productivity"], "time", JUNE_1 + dt.timedelta(days=n), is_morning=True)[0] for n in range(5)]
    assert set(keys) == {"productivity-morning-0", "productivity-morning-1", "time-morning-0",
                         "general-morning-0", "general-morning-1"}
    assert all(a != b for a, b in pairwise(keys))
