from django.http import HttpRequest
from django.urls import reverse

from fulfil.accounts.models import Role

# Which sections each role sees in the header navigation.
_NAV = {
    Role.COUNCIL_OFFICER: ["children", "settings", "therapists", "shortfall", "timeliness", "planning", "quality", "benchmarks",
                           "emergency-review"],
    Role.SERVICE_MANAGER: ["service", "advice", "children", "settings", "therapists", "shortfall", "timeliness", "planning", "quality", "benchmarks"],
    Role.THERAPIST: ["my-week", "advice", "my-caseload", "children", "settings", "wording"],
    Role.SENCO: ["setting-therapy", "my-setting", "children"],
    Role.PARENT: ["children"],
    Role.COMMISSIONER: ["shortfall", "timeliness", "planning", "quality", "benchmarks"],
    Role.ADMIN: ["authenticators"],
}


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from fulfil.accounts.middleware import mfa_required_for

    if mfa_required_for(user) and not user.is_verified():
        return {"nav_items": []}  # nothing to navigate to until the second factor is given
    items = []
    for key in _NAV.get(user.role, []):
        if key == "children":
            label = "Your child" if user.role == Role.PARENT else "Children"
            items.append((label, reverse("children:list")))
        elif key == "settings":
            items.append(("Settings", reverse("schools:list")))
        elif key == "therapists":
            items.append(("Therapists", reverse("workforce:list")))
        elif key == "benchmarks":
            items.append(("Compare", reverse("comparisons:area")))
        elif key == "quality":
            items.append(("Plan quality", reverse("plans:quality")))
        elif key == "wording":
            items.append(("Check wording", reverse("plans:wording-check")))
        elif key == "shortfall":
            items.append(("Shortfall report", reverse("ledger:shortfall")))
        elif key == "my-caseload" and user.therapist_id:
            items.append(("My caseload", reverse("workforce:detail", args=[user.therapist_id])))
        elif key == "advice":
            items.append(("Advice due", reverse("plans:advice-due")))
        elif key == "planning":
            items.append(("Capacity", reverse("planning:capacity")))
        elif key == "timeliness":
            items.append(("Timeliness", reverse("plans:timeliness")))
        elif key == "my-week" and user.therapist_id:
            items.append(("My week", reverse("delivery:my-week")))
        elif key == "service" and user.provider_id:
            items.append(("Service activity", reverse("delivery:service")))
        elif key == "setting-therapy" and user.setting_id:
            items.append(("Therapy this week", reverse("delivery:setting-therapy", args=[user.setting_id])))
        elif key == "emergency-review":
            items.append(("Emergency access", reverse("accounts:break-glass-review")))
        elif key == "authenticators":
            items.append(("Staff authenticators", reverse("accounts:authenticators")))
        elif key == "my-setting" and user.setting_id:
            items.append(("My setting", reverse("schools:detail", args=[user.setting_id])))
    current = request.path
    return {"nav_items": [(label, url, current.startswith(url)) for label, url in items]}
