PREFIX = "onboarding_wizard_view"

ANSWERS = {
    "goals": {"goals": ["health", "sleep"], "goals_other": ""},
    "habit": {"main_habit": "Run before work", "main_habit_time": "06:30"},
    "obstacle": {"obstacle": "forgetting", "obstacle_other": ""},
    "why": {"why_now": "My doctor told me to move more."},
    "timezone": {"timezone": "America/New_York"},
    "chronotype": {"chronotype": "evening"},
    "success": {"success_factor": "Run 12 times this month", "tone": "direct"},
}


def step_data(step, **overrides):
    answers = {**ANSWERS[step], **overrides}
    data = {f"{PREFIX}-current_step": step}
    for key, value in answers.items():
        data[f"{step}-{key}"] = value
    return data


def post_step(client, step, **overrides):
    return client.post(f"/welcome/{step}/", step_data(step, **overrides))


def complete_wizard(client, **overrides_by_step):
    response = None
    for step in ANSWERS:
        client.get(f"/welcome/{step}/")
        response = post_step(client, step, **overrides_by_step.get(step, {}))
    if response.status_code == 302 and response["Location"].endswith("/done/"):
        response = client.get(response["Location"])
    return response
