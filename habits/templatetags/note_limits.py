"""The one note length every note box offers: `maxlength="{% note_max_length %}"`."""

from django import template

from habits.models import NOTE_MAX_LENGTH

register = template.Library()


@register.simple_tag
def note_max_length() -> int:
    return NOTE_MAX_LENGTH
