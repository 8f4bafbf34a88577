from django.http import HttpRequest
from django.urls import reverse

from fulfil.accounts.middleware import mfa_required_for
from fulfil.accounts.models import Role
from fulfil.accounts.policy import Capability, can

# The header navigation, in order: each section with the capability it needs (from the one
# policy, fulfil.accounts.policy) and, for "my" pages, the relationship that gives it a target.
# A link is shown only to someone who may open it.
_NAV = [
    ("service", Capability.SEE_SERVICE_ACTIVITY, "provider_id"),
    ("my-week", Capability.RECORD_SESSIONS, "therapist_id"),
    ("setting-therapy", Capability.SEE_SETTINGS, "setting_id"),
    ("advice", Capability.SEE_ADVICE, None),
    ("my-caseload", Capability.SEE_THERAPISTS, "therapist_id"),
    ("children", Capability.SEE_CHILDREN, None),
    ("my-setting", Capability.SEE_SETTINGS, "setting_id"),
    ("settings", Capability.SEE_SETTINGS, None),
    ("therapists", Capability.SEE_THERAPISTS, None),
    ("wording", Capability.CHECK_WORDING, None),
    ("shortfall", Capability.SEE_SHORTFALL, None),
    ("timeliness", Capability.SEE_TIMELINESS, None),
    ("planning", Capability.SEE_CAPACITY, None),
    ("quality", Capability.SEE_PLAN_QUALITY, None),
    ("benchmarks", Capability.COMPARE_AREAS, None),
    ("emergency-review", Capability.REVIEW_EMERGENCY_ACCESS, None),
    ("authenticators", Capability.MANAGE_AUTHENTICATORS, None),
]
# A therapist's own caseload and a SENCO's own setting stand in for the area-wide lists.
_INSTEAD = {"therapists": "my-caseload", "settings": "my-setting"}


def _sections(user) -> list[str]:
    keys = [key for key, capability, relation in _NAV if can(user, capability) and (relation is None or getattr(user, relation, None))]
    return [key for key in keys if _INSTEAD.get(key) not in keys]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if mfa_required_for(user) and not user.is_verified():
        return {"nav_items": []}  # nothing to navigate to until the second factor is given
    items = []
    for key in _sections(user):
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
