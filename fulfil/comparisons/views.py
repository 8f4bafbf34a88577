from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fulfil.accounts.policy import Capability, roles_with
from fulfil.comparisons.models import PublishedFigure
from fulfil.comparisons.selectors import area_comparison

# Published national statistics: not personal data, but only for people who run services.
# Read from the one capability policy (fulfil.accounts.policy).
COMPARISON_ROLES = roles_with(Capability.COMPARE_AREAS)


@login_required
def area_benchmarks(request: HttpRequest) -> HttpResponse:
    if request.user.role not in COMPARISON_ROLES or request.user.local_area is None:
        raise Http404("Not available for this role")
    area = request.user.local_area
    years = sorted(set(PublishedFigure.objects.filter(code=str(area.la_number), level="Local authority")
                       .values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year") or (years[0] if years else 0))
    except ValueError:
        year = 0
    year = year if 1900 <= year <= 2100 else 0  # a number no database column holds was a 500
    comparison = area_comparison(la=str(area.la_number), year=year) if years else None
    return render(request, "comparisons/area.html", {"comparison": comparison, "years": years, "year": year, "area": area})
