"""The top 5: specific, ranked by impact x confidence x feedback, tailored to obstacle and tone, never repeated."""

import numpy as np

from coaching.analysis.recommend import FAMILY

from .analysis_data import at, frame, habit, rows, run


def busy_person(seed=1):
    """Run at 06:15 but never on Saturdays; Read drifting away; Guitar rarely done; a planned time that's off."""
    rng = np.random.default_rng(seed)
    checkins = frame(
        rows("run", 56, done=lambda d, i: d.weekday() != 5 and rng.random() < 0.95, minutes=lambda d, i: 375 + rng.normal(0, 10)),
        rows("read", 56, done=lambda d, i: rng.random() < (0.9 if i < 28 else 0.15), minutes=lambda d, i: rng.uniform(1200, 1380)),
        rows("guitar", 56, done=lambda d, i: rng.random() < 0.2, minutes=lambda d, i: rng.uniform(600, 1300)),
        rows("stretch", 56, minutes=lambda d, i: 10 * 60 + rng.normal(0, 10)),
    )
    habits = [
        habit("run", 56, name="Run"), habit("read", 56, name="Read", is_main=True),
        habit("guitar", 56, name="Guitar"), habit("stretch", 56, name="Stretch", planned_time=at(7)),
    ]
    return checkins, habits


def test_at_most_five_ranked_recommendations_that_never_repeat_a_habit_and_family():
    checkins, habits = busy_person()
    analysis = run(checkins, habits, obstacle="other", goals=("health", "finances"))
    recs = analysis.recommendations
    assert 3 <= len(recs) <= 5
    assert [r.rank for r in recs] == list(range(1, len(recs) + 1))
    keys = [(r.habit_id, FAMILY[r.based_on[0]]) for r in recs if r.based_on[0] != "goal_gap"]
    assert len(keys) == len(set(keys))
    assert len({r.text for r in recs}) == len(recs)
    for rec in recs:
        assert rec.based_on
        if rec.based_on == ["goal_gap"]:
            assert "finances" in rec.text
        else:
            assert rec.habit_name in rec.text and any(ch.isdigit() for ch in rec.text)


def test_recommendations_name_the_habit_the_weekday_and_the_numbers():
    checkins, habits = busy_person()
    recs = run(checkins, habits).recommendations
    saturday = next(r for r in recs if "weekday_gap" in r.based_on)
    assert saturday.habit_name == "Run"
    assert "Saturdays" in saturday.text and "0%" in saturday.text and "06:15" in saturday.text
    planned = next(r for r in recs if "planned_time_mismatch" in r.based_on)
    assert "07:00" in planned.text and "10:00" in planned.text


def test_obstacle_time_shrinks_the_habit_on_the_hard_weekday():
    checkins, habits = busy_person()
    recs = run(checkins, habits, obstacle="time").recommendations
    saturday = next(r for r in recs if "weekday_gap" in r.based_on)
    assert saturday.text.startswith("Shrink Run on Saturdays to a two-minute version")


def test_obstacle_forgetting_anchors_to_an_existing_time():
    checkins, habits = busy_person()
    recs = run(checkins, habits, obstacle="forgetting").recommendations
    assert any("reminder" in r.text for r in recs)
    guitar = next((r for r in recs if r.habit_name == "Guitar"), None)
    assert guitar is None or "right after" in guitar.text


def test_obstacle_restarting_gets_a_never_miss_twice_plan():
    rng = np.random.default_rng(2)
    missed, pattern = False, []
    for _ in range(70):
        missed = rng.random() < (0.75 if missed else 0.1)
        pattern.append(not missed)
    checkins = frame(rows("write", 70, done=lambda d, i: pattern[i]))
    recs = run(checkins, [habit("write", 70, name="Write")], obstacle="restarting").recommendations
    assert recs[0].based_on[0] == "double_miss"
    assert "never-miss-twice" in recs[0].text and "Write" in recs[0].text


def test_gentle_and_direct_tone_say_the_same_thing_differently():
    checkins, habits = busy_person()
    direct = run(checkins, habits, tone="direct").recommendations
    gentle = run(checkins, habits, tone="gentle").recommendations
    assert [r.based_on for r in direct] == [r.based_on for r in gentle]
    assert all(d.text != g.text for d, g in zip(direct, gentle))
    assert any(g.text.startswith(("You could", "Try to", "It may help to")) for g in gentle)


def test_not_helpful_feedback_down_ranks_a_kind():
    checkins, habits = busy_person()
    before = run(checkins, habits).recommendations
    top = before[0].based_on[0]
    after = run(checkins, habits, kind_weights={top: 0.1}).recommendations
    assert after[0].based_on[0] != top
    assert any(r.based_on[0] == top for r in after) or len(after) == 5


def test_strengths_and_challenges_quote_the_data():
    checkins, habits = busy_person()
    analysis = run(checkins, habits)
    assert any("Run" in s and "06:15" in s for s in analysis.strengths)
    assert any("Read" in c and "%" in c for c in analysis.challenges)
    assert len(analysis.strengths) <= 5 and len(analysis.challenges) <= 5
