"""Signals other apps listen to, so onboarding never has to know about them."""

from django.dispatch import Signal

# sent with profile=CoachingProfile once the wizard is completed (inside the transaction)
onboarding_completed = Signal()

# sent with profile=CoachingProfile whenever the person's clock (time zone, day start) changes after onboarding
# (completion itself is onboarding_completed, which listeners use to set things up)
profile_schedule_changed = Signal()

# sent with profile=CoachingProfile after the Profile page changed an answer coaching reads (goals, main habit and its
# time, obstacle, why now, chronotype, success factor, tone)
coaching_answers_changed = Signal()

# sent with profile_ids=[...] after profiles were created in bulk (seeding, imports) without per-row signals
profiles_bulk_created = Signal()
