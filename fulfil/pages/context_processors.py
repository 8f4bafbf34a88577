"""The header navigation: one table of sections, each with the capability that shows it (read from
the one policy, fulfil.accounts.policy)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from fulfil.accounts.middleware import mfa_required_for
from fulfil.accounts.models import Role, User
from fulfil.accounts.policy import Capability, can


@dataclass(frozen=True)
class NavItem:
    """One section of the header. A "my" page also needs the user's relationship (`relation`,
    e.g. their therapist), and takes it as its URL's argument when `relation_in_url`."""

    key: str
    label: str
    capability: Capability
    url_name: str
    relation: str | None = None
    relation_in_url: bool = False
    family_label: str = ""  # what a parent sees instead of `label`

    def shown_to(self, user: User) -> bool:
        """A link is shown only to someone who may open it."""
        return can(user, self.capability) and (self.relation is None or bool(getattr(user, self.relation, None)))

    def link(self, user: User) -> tuple[str, str]:
        label = self.family_label if self.family_label and user.role == Role.PARENT else self.label
        args = [getattr(user, self.relation)] if self.relation and self.relation_in_url else []
        return label, reverse(self.url_name, args=args)


# The header, in order.
_NAV = (
    NavItem("service", "Service activity", Capability.SEE_SERVICE_ACTIVITY, "delivery:service", relation="provider_id"),
    NavItem("my-week", "My week", Capability.RECORD_SESSIONS, "delivery:my-week", relation="therapist_id"),
    NavItem("setting-therapy", "Therapy this week", Capability.SEE_SETTINGS, "delivery:setting-therapy",
            relation="setting_id", relation_in_url=True),
    NavItem("advice", "Advice due", Capability.SEE_ADVICE, "plans:advice-due"),
    NavItem("my-caseload", "My caseload", Capability.SEE_THERAPISTS, "workforce:detail", relation="therapist_id", relation_in_url=True),
    NavItem("children", "Children", Capability.SEE_CHILDREN, "children:list", family_label="Your child"),
    NavItem("my-setting", "My setting", Capability.SEE_SETTINGS, "schools:detail", relation="setting_id", relation_in_url=True),
    NavItem("settings", "Settings", Capability.SEE_SETTINGS, "schools:list"),
    NavItem("therapists", "Therapists", Capability.SEE_THERAPISTS, "workforce:list"),
    NavItem("wording", "Check wording", Capability.CHECK_WORDING, "plans:wording-check"),
    NavItem("shortfall", "Shortfall report", Capability.SEE_SHORTFALL, "ledger:shortfall"),
    NavItem("timeliness", "Timeliness", Capability.SEE_TIMELINESS, "plans:timeliness"),
    NavItem("planning", "Capacity", Capability.SEE_CAPACITY, "planning:capacity"),
    NavItem("quality", "Plan quality", Capability.SEE_PLAN_QUALITY, "plans:quality"),
    NavItem("benchmarks", "Compare", Capability.COMPARE_AREAS, "comparisons:area"),
    NavItem("emergency-review", "Emergency access", Capability.REVIEW_EMERGENCY_ACCESS, "accounts:break-glass-review"),
    NavItem("authenticators", "Staff authenticators", Capability.MANAGE_AUTHENTICATORS, "accounts:authenticators"),
)
# A therapist's own caseload and a SENCO's own setting stand in for the area-wide lists.
_INSTEAD = {"therapists": "my-caseload", "settings": "my-setting"}


def _sections(user: User) -> list[NavItem]:
    shown = [item for item in _NAV if item.shown_to(user)]
    keys = {item.key for item in shown}
    return [item for item in shown if _INSTEAD.get(item.key) not in keys]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if mfa_required_for(user) and not user.is_verified():
        return {"nav_items": []}  # nothing to navigate to until the second factor is given
    current = request.path
    return {"nav_items": [(label, url, current.startswith(url)) for label, url in (item.link(user) for item in _sections(user))]}
