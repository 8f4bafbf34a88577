"""The home page's overview: headline counts for the user's area, from the register and plans."""

from __future__ import annotations

from django.db.models import Count, Q

from fulfil.children.models import Child, SenStatus
from fulfil.core.disclosure import round_for_release  # the small-number rule, written once there
from fulfil.core.models import Discipline
from fulfil.plans.models import ProvisionItem, VersionStatus


def area_overview(user) -> dict | None:
    """Headline counts for the user's area, rounded for release. No child-level data."""
    if not user.is_authenticated or user.local_area_id is None:
        return None
    children = Child.objects.filter(local_area_id=user.local_area_id, archived_at__isnull=True)
    counts = children.aggregate(
        with_plans=Count("pk", filter=Q(sen_status=SenStatus.EHCP)),
        sen_support=Count("pk", filter=Q(sen_status=SenStatus.SEN_SUPPORT)),
    )
    lines = (
        ProvisionItem.objects.filter(local_area_id=user.local_area_id, plan_version__status=VersionStatus.FINAL)
        .values("discipline")
        .annotate(n=Count("pk"), children=Count("child", distinct=True))
        .order_by("discipline")
    )
    return {
        "with_plans": round_for_release(counts["with_plans"]),
        "sen_support": round_for_release(counts["sen_support"]),
        "disciplines": [
            {"label": Discipline(row["discipline"]).label, "lines": round_for_release(row["n"]),
             "children": round_for_release(row["children"])}
            for row in lines
        ],
    }
