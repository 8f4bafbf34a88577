from django.http import HttpRequest, HttpResponse


class NoStoreForSignedInUsersMiddleware:
    """Pages for signed-in users may hold personal data: no browser or proxy may cache them
    (a shared computer's back button must not show another child's record)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
