"""Security headers every response carries, in one place."""

# Scripts and styles only from our own static files: no inline script, no style="" in our pages.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# An email shown in the browser is styled inline, as email has to be: it is served on its own URL,
# framed only by our own pages, with a policy that allows inline styles and nothing else.
EMAIL_FRAME_POLICY = "; ".join([
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
])

# Cadence uses none of these browser features; denying them means injected content cannot either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial",
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
