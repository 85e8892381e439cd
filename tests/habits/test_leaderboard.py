import datetime as dt
import re

import pytest

from habits import leaderboard
from habits.models import CheckIn, LeaderboardMember, Pause
from tests.factories import CheckInFactory, HabitFactory, ProfileFactory, SkipFactory

pytestmark = pytest.mark.django_db

# A Thursday: the window is Tuesday 19 May to Wednesday 17 June, so its first week is cut
# and the week holding today is still running.
NOW = dt.datetime(2026, 6, 18, 11, 0, tzinfo=dt.UTC)   # 12:00 in London
TODAY = dt.date(2026, 6, 18)
YESTERDAY = TODAY - dt.timedelta(days=1)
WINDOW = [YESTERDAY - dt.timedelta(days=n) for n in range(30)]  # the 30 days the board judges
STARTED = dt.date(2026, 4, 1)
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def person(tz="Europe/London", **user_fields):
    return ProfileFactory(timezone=tz, **{f"user__{key}": value for key, value in user_fields.items()}).user


def member(display_name, user=None, **person_fields):
    user = user or person(**person_fields)
    LeaderboardMember.objects.create(user=user, display_name=display_name, joined_at=NOW)
    return user


def habit_done_on(user, days, **fields):
    fields.setdefault("start_date", STARTED)
    habit = HabitFactory(user=user, **fields)
    CheckIn.objects.bulk_create([CheckInFactory.build(habit=habit, local_date=day) for day in days])
    return habit


def weekdays_between(first, last, weekdays):
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            yield day
        day += dt.timedelta(days=1)


def board_rows(client):
    """(rank, name, consistency) per row of the board, as a person reads them."""
    html = client.get("/leaderboard/").content.decode()
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for row in re.findall(r"<tr.*?</tr>", body, re.DOTALL):
        cells = [re.sub(r"<[^>]+>", " ", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
        rows.append(tuple(" ".join(cell.split()) for cell in cells))
    return rows


def join(client, name):
    return client.post("/leaderboard/join/", {"display_name": name})


# Opting in and out


def test_nobody_is_on_the_board_until_they_join(logged_in):
    keen = person()
    habit_done_on(keen, WINDOW)
    response = logged_in.get("/leaderboard/")
    assert response.status_code == 200
    assert leaderboard.standings(NOW) == []
    assert b"Nobody has joined yet" in response.content
    assert b"Join the leaderboard" in response.content


def test_joining_with_a_valid_name_puts_you_on_the_board(logged_in, user):
    habit_done_on(user, WINDOW)
    response = join(logged_in, "  Steady   Otter 42 ")
    assert response.status_code == 302
    assert LeaderboardMember.objects.get(user=user).display_name == "Steady Otter 42"
    assert board_rows(logged_in) == [("1", "Steady Otter 42 You", "100%")]


def test_the_suggested_name_is_random_and_not_taken_from_the_person(logged_in, user):
    form = logged_in.get("/leaderboard/").context["join_form"]
    suggestion = form.initial["display_name"]
    assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+ \d\d", suggestion)
    assert user.email.split("@")[0].casefold() not in suggestion.casefold()
    assert leaderboard.clean_display_name(user, suggestion) == suggestion


def test_leaving_takes_you_off_the_board_at_once(logged_in, user, client):
    member("Quiet Wren 7", user=user)
    viewer = member("Calm Heron 11")
    response = logged_in.post("/leaderboard/leave/")
    assert response.status_code == 302
    assert not LeaderboardMember.objects.filter(user=user).exists()
    client.force_login(viewer)
    assert b"Quiet Wren 7" not in client.get("/leaderboard/").content


def test_deleting_the_account_removes_them_from_the_board(logged_in, user):
    member("Quiet Wren 7", user=user)
    response = logged_in.post("/profile/delete/", {"password": PASSWORD, "email": user.email})
    assert response.status_code == 302
    assert not LeaderboardMember.objects.exists()
    assert leaderboard.standings(NOW) == []


# Display names


def test_markup_in_a_name_is_refused(logged_in, user):
    response = join(logged_in, "<b>x</b>")
    assert response.status_code == 400
    assert b"Use letters and digits" in response.content
    assert b"<b>x</b>" not in response.content
    assert not LeaderboardMember.objects.exists()


def test_names_are_escaped_on_the_board(logged_in):
    member("<script>alert(1)</script>")
    html = logged_in.get("/leaderboard/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("name", ["ada.lovelace@example.com", "ADA.LOVELACE", "Augusta", "Augusta King", "countess"])
def test_a_name_that_gives_away_who_you_are_is_refused_next_to_the_field(client, name):
    user = person(email="ada.lovelace@example.com", username="countess", first_name="Augusta", last_name="King")
    client.force_login(user)
    response = join(client, name)
    assert response.status_code == 400
    field = re.search(r'<div class="field field--error">.*?</div>', response.content.decode(), re.DOTALL).group(0)
    assert 'name="display_name"' in field
    assert "not your email address, username or real name" in field
    assert not LeaderboardMember.objects.exists()


@pytest.mark.parametrize("name,message", [
    ("ab", "Use 3 to 30 characters."),
    ("x" * 31, "Use 3 to 30 characters."),
    ("...", "Use letters and digits"),
    ("tab\there", "Use letters and digits"),
])
def test_names_too_short_long_or_without_letters_are_refused(logged_in, name, message):
    response = join(logged_in, name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_names_in_other_scripts_are_welcome(logged_in, user):
    assert join(logged_in, "Ñandú Ōtautahi 3").status_code == 302
    assert LeaderboardMember.objects.get(user=user).display_name == "Ñandú Ōtautahi 3"


def test_a_name_taken_in_any_case_is_refused(logged_in):
    member("Steady Otter 42")
    response = join(logged_in, "sTEADY oTTER 42")
    assert response.status_code == 400
    assert "That name is taken" in response.content.decode()
    assert LeaderboardMember.objects.count() == 1


def test_a_name_can_change_once_every_24_hours(logged_in, user, time_machine):
    member("Steady Otter 42", user=user)
    assert logged_in.post("/leaderboard/rename/", {"display_name": "Brave Lynx 12"}).status_code == 302

    time_machine.move_to(NOW + dt.timedelta(hours=23), tick=False)
    response = logged_in.post("/leaderboard/rename/", {"display_name": "Bold Hare 30"})
    assert response.status_code == 400
    assert "once every 24 hours. You can try again in 1 hour." in response.content.decode()
    assert LeaderboardMember.objects.get(user=user).display_name == "Brave Lynx 12"

    time_machine.move_to(NOW + dt.timedelta(hours=24), tick=False)
    assert logged_in.post("/leaderboard/rename/", {"display_name": "Bold Hare 30"}).status_code == 302
    assert LeaderboardMember.objects.get(user=user).display_name == "Bold Hare 30"


# Privacy


def test_the_board_shows_nothing_about_members_but_name_rank_and_percent(logged_in):
    private = person(email="dora.private@example.com", username="dora_private", first_name="Dorothea", last_name="Quill")
    member("Keen Falcon 77", user=private)
    habit = habit_done_on(private, WINDOW[:10], name="Secret Flamenco Practice", description="Behind the garage")
    CheckIn.objects.filter(habit=habit, local_date=YESTERDAY).update(
        note="felt wobbly after therapy", completed_at=dt.datetime(2026, 6, 17, 5, 43, tzinfo=dt.UTC)
    )
    SkipFactory(habit=habit, local_date=WINDOW[12], note="hospital visit")
    html = logged_in.get("/leaderboard/").content.decode()
    assert "Keen Falcon 77" in html
    for secret in ["Secret Flamenco", "Behind the garage", "felt wobbly", "hospital visit", "05:43", "06:43",
                   "dora.private", "dora_private", "Dorothea", "Quill"]:
        assert secret not in html


# Ranking


def test_ranks_are_shared_on_equal_percent_and_ties_listed_alphabetically(logged_in):
    for name, done in [("Zed Walker", WINDOW[:15]), ("Bea Swift", WINDOW[:9]), ("Ace Runner", WINDOW), ("amber fox", WINDOW[15:])]:
        habit_done_on(member(name), done)
    assert board_rows(logged_in) == [
        ("1", "Ace Runner", "100%"),
        ("2", "amber fox", "50%"),
        ("2", "Zed Walker", "50%"),
        ("4", "Bea Swift", "30%"),
    ]


def test_ties_are_on_the_shown_percent_not_the_exact_rate_nor_who_joined_first():
    zara = member("Zara Early")                                           # 39 of 58: 67.2%, shown 67%
    habit_done_on(zara, WINDOW[:20])
    habit_done_on(zara, WINDOW[:19], start_date=WINDOW[27])
    habit_done_on(member("Abel Later"), WINDOW[:20])                      # 20 of 30: 66.7%, shown 67%
    habit_done_on(member("Close Second"), WINDOW[:21])                    # 21 of 30: 70%
    assert [(row.rank, row.display_name, row.percent) for row in leaderboard.standings(NOW)] == [
        (1, "Close Second", 70), (2, "Abel Later", 67), (2, "Zara Early", 67),
    ]


def test_the_window_is_the_30_days_up_to_yesterday():
    user = member("Steady Otter 42")
    # Missed the window's first day; did the day before it and today, which are outside it.
    habit_done_on(user, [WINDOW[-1] - dt.timedelta(days=1), TODAY, *WINDOW[:-1]])
    assert [row.percent for row in leaderboard.standings(NOW)] == [97]


def test_todays_check_ins_wait_for_tomorrows_board():
    habit_done_on(member("Steady Otter 42"), [TODAY, *WINDOW[:15]])
    assert [row.percent for row in leaderboard.standings(NOW)] == [50]


def test_a_miss_yesterday_counts_against_you():
    habit_done_on(member("Steady Otter 42"), WINDOW[1:])
    assert [row.percent for row in leaderboard.standings(NOW)] == [97]


def test_three_times_a_week_done_three_times_every_week_is_full_marks():
    user = member("Steady Otter 42")
    habit_done_on(user, weekdays_between(STARTED, TODAY, {0, 2, 4}),
                  schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7)
    assert [row.percent for row in leaderboard.standings(NOW)] == [100]


def test_a_monthly_habit_is_judged_by_its_months_even_when_done_before_the_window():
    user = member("Steady Otter 42")
    # Four times a month, done on the 1st to the 4th: May's four all fall before the window.
    days = [dt.date(2026, month, day) for month in (4, 5, 6) for day in range(1, 5)]
    habit_done_on(user, days, schedule_kind="frequency", frequency_numerator=4, frequency_denominator=30)
    assert [row.percent for row in leaderboard.standings(NOW)] == [100]


def test_consistency_pools_every_active_habit_and_ignores_archived_ones():
    user = member("Steady Otter 42")
    habit_done_on(user, WINDOW)
    habit_done_on(user, WINDOW[:15], schedule_kind="weekdays", weekdays=list(range(7)))
    habit_done_on(user, [], archived_at=NOW)
    assert [row.percent for row in leaderboard.standings(NOW)] == [75]


def test_a_flexible_habit_weighs_what_it_asks_not_every_day():
    user = member("Steady Otter 42")
    habit_done_on(user, WINDOW)
    habit_done_on(user, [], schedule_kind="frequency", frequency_numerator=2, frequency_denominator=7)
    # 30 of 30 days, and 0 of the 7.7 check-ins the closed weeks asked for (6/7 of the cut first
    # week, three whole ones; the running week asks nothing yet): 80%. Counted day by day, 50%.
    assert [row.percent for row in leaderboard.standings(NOW)] == [80]


def test_an_imported_habit_is_judged_from_its_first_check_in_not_its_start_date():
    user = member("Steady Otter 42")
    habit_done_on(user, [YESTERDAY - dt.timedelta(days=50), *WINDOW[:20]], start_date=YESTERDAY - dt.timedelta(days=5))
    assert [row.percent for row in leaderboard.standings(NOW)] == [67]


def test_skipped_and_paused_days_are_not_misses():
    user = member("Steady Otter 42")
    habit = habit_done_on(user, WINDOW[:10])
    SkipFactory(habit=habit, local_date=WINDOW[10])
    Pause.objects.create(user=user, habit=habit, start=WINDOW[-1] - dt.timedelta(days=3), end=WINDOW[11])
    assert [row.percent for row in leaderboard.standings(NOW)] == [100]


def test_members_with_nothing_scheduled_come_last_without_a_rank(logged_in):
    member("Aaron Newcomer")
    habit_done_on(member("Zoe Regular"), WINDOW[:3])
    assert board_rows(logged_in) == [("1", "Zoe Regular", "10%"), ("– No rank", "Aaron Newcomer", "No scheduled days yet")]


def test_each_member_is_judged_on_their_own_yesterday(time_machine):
    auckland = member("Kiwi Early", tz="Pacific/Auckland")
    los_angeles = member("Pacific Late", tz="America/Los_Angeles")
    habit_done_on(auckland, [dt.date(2026, 6, 15) - dt.timedelta(days=n) for n in range(30)])
    habit_done_on(los_angeles, [dt.date(2026, 6, 14) - dt.timedelta(days=n) for n in range(30)])
    # 13:00 UTC on 15 June is already 16 June in Auckland, still 15 June in Los Angeles;
    # 03:00 UTC on 16 June is 16 June in Auckland and, again, 15 June in Los Angeles.
    for now in (dt.datetime(2026, 6, 15, 13, 0, tzinfo=dt.UTC), dt.datetime(2026, 6, 16, 3, 0, tzinfo=dt.UTC)):
        time_machine.move_to(now, tick=False)
        assert {row.display_name: row.percent for row in leaderboard.standings(now)} == {"Kiwi Early": 100, "Pacific Late": 100}


# Access and cost


@pytest.mark.parametrize("path", ["/leaderboard/join/", "/leaderboard/rename/", "/leaderboard/leave/"])
def test_changes_to_the_board_are_post_only(logged_in, path):
    assert logged_in.get(path).status_code == 405


@pytest.mark.parametrize("path", ["/leaderboard/", "/leaderboard/join/"])
def test_anonymous_people_are_sent_to_sign_in(client, path):
    response = client.get(path) if path == "/leaderboard/" else client.post(path, {"display_name": "Steady Otter 42"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not LeaderboardMember.objects.exists()


def test_people_still_onboarding_are_sent_to_finish_it(client, new_user):
    client.force_login(new_user)
    response = client.get("/leaderboard/")
    assert response.status_code == 302
    assert response.url.startswith("/welcome/")


def add_members(count, start):
    for n in range(start, start + count):
        user = member(f"Member {n:02d}")
        daily = habit_done_on(user, WINDOW[::2])
        habit_done_on(user, weekdays_between(STARTED, TODAY, {1, 3}),
                      schedule_kind="frequency", frequency_numerator=2, frequency_denominator=7)
        SkipFactory(habit=daily, local_date=WINDOW[1])
        Pause.objects.create(user=user, habit=daily, start=WINDOW[5], end=WINDOW[3])


# Session, user and profile; the viewer's membership and a suggested name; the standings' six.
BOARD_QUERIES = 11


def test_the_board_costs_the_same_queries_for_3_members_as_for_12(logged_in, django_assert_max_num_queries):
    add_members(3, 0)
    with django_assert_max_num_queries(BOARD_QUERIES) as three:
        assert logged_in.get("/leaderboard/").status_code == 200
    add_members(9, 3)
    with django_assert_max_num_queries(BOARD_QUERIES) as twelve:
        response = logged_in.get("/leaderboard/")
    assert response.content.count(b"<tr") == 1 + 12
    assert len(twelve) == len(three)


def test_a_name_taken_in_another_case_is_refused_beyond_ascii_too(logged_in):
    member("ÉLODIE RUNNER")
    response = join(logged_in, "élodie runner")
    assert response.status_code == 400 and "That name is taken" in response.content.decode()
    assert LeaderboardMember.objects.count() == 1


def test_a_name_mixing_alphabets_to_imitate_another_is_refused(logged_in):
    member("Brave Falcon 99")
    response = join(logged_in, "Br\u0430ve Falcon 99")   # a Cyrillic а
    assert response.status_code == 400 and "letters of one alphabet" in response.content.decode()
    assert LeaderboardMember.objects.count() == 1
    assert join(logged_in, "Смелый Сокол 7").status_code == 302   # one alphabet, any alphabet


@pytest.mark.parametrize("name", ["山田たろう", "タロウ Run 3", "김민준 Kim"])
def test_names_that_mix_scripts_as_real_names_do_are_welcome(logged_in, name):
    assert join(logged_in, name).status_code == 302


def test_leaving_and_joining_again_is_no_way_round_the_daily_rename(logged_in, user, time_machine):
    member("Steady Otter 42", user=user)
    assert logged_in.post("/leaderboard/rename/", {"display_name": "Brave Lynx 12"}).status_code == 302
    logged_in.post("/leaderboard/leave/")
    assert not LeaderboardMember.objects.filter(user=user).exists()   # the name goes at once

    time_machine.move_to(NOW + dt.timedelta(hours=2), tick=False)
    response = join(logged_in, "Bold Hare 30")
    assert response.status_code == 400
    assert "You can join again (under any name) in 22 hours." in response.content.decode()
    assert not LeaderboardMember.objects.filter(user=user).exists()

    time_machine.move_to(NOW + dt.timedelta(hours=24), tick=False)
    assert join(logged_in, "Bold Hare 30").status_code == 302
    # that join was a rename: the next one waits a day
    response = logged_in.post("/leaderboard/rename/", {"display_name": "Keen Wren 5"})
    assert response.status_code == 400
    assert LeaderboardMember.objects.get(user=user).display_name == "Bold Hare 30"


def test_someone_who_never_renamed_can_leave_and_join_again_at_once(logged_in, user):
    member("Steady Otter 42", user=user)
    logged_in.post("/leaderboard/leave/")
    assert join(logged_in, "Quiet Heron 8").status_code == 302
    assert LeaderboardMember.objects.get(user=user).display_name == "Quiet Heron 8"
