from django.conf import settings


def support(request):
    """The address the sign-in pages give to someone who is stuck."""
    return {"support_email": settings.SUPPORT_EMAIL}
