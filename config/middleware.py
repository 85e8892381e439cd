"""Security headers every response carries, in one place."""

# Scripts only from our own static files. Styles allow inline: templates set computed widths
# (progress bars) with style="", and emails shown in a srcdoc frame (which inherits this policy) are
# styled inline, as email has to be.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# Cadence uses none of these browser features; denying them means injected content cannot either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth",
                    "midi", "magnetometer", "gyroscope", "accelerometer", "display-capture")
)


class SecurityHeadersMiddleware:
    """CSP and Permissions-Policy on every response; nothing personal kept by browsers or proxies.

    Pages for a signed-in person and every download (data exports) are `private, no-store`: a shared
    computer's back button or a proxy's cache must not show one person's data to the next.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        is_download = response.get("Content-Disposition", "").startswith("attachment")
        if request.user.is_authenticated or is_download:
            response["Cache-Control"] = "private, no-store"
        return response
