from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from fulfil.comparisons.published import display, display_average

register = template.Library()


@register.filter
def shown(value, measure) -> str:
    return display(value, measure)


@register.filter
def shown_average(value, measure) -> str:
    return display_average(value, measure)


@register.simple_tag
def comparison_bars(comparison):
    """For each percentage measure: the area, its region and England as bars (figures in the
    table below)."""
    rows = [c for c in comparison.measures if c.measure.is_percentage]
    if not rows:
        return ""
    label_w, bar_w, bar_h, gap = 340, 320, 14, 22
    colours = (("area", comparison.name, "#1d70b8"), ("region", comparison.region_name, "#505a5f"), ("england", "England", "#b1b4b6"))
    height = len(rows) * (3 * bar_h + gap) + 30
    parts = [f'<svg class="fulfil-chart" role="img" aria-labelledby="comparison-title" font-family="arial, sans-serif" '
             f'viewBox="0 0 {label_w + bar_w + 60} {height}" width="{label_w + bar_w + 60}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="comparison-title">{escape(comparison.name)}, {escape(comparison.region_name)} and England '
             'on each percentage measure (the table below gives the figures)</title>']
    y = 0
    for c in rows:
        label = c.measure.label.replace(" (%)", "")
        label = label if len(label) <= 50 else label[:48] + "…"
        parts.append(f'<text x="0" y="{y + 12}" font-size="12" fill="#0b0c0c">{escape(label)}</text>')
        for i, (attr, _label, colour) in enumerate(colours):
            value = getattr(c, attr)
            width = 0 if value is None else bar_w * float(value) / 100
            parts.append(f'<rect x="{label_w}" y="{y + i * bar_h}" width="{width:.1f}" height="{bar_h - 2}" fill="{colour}"/>')
            parts.append(f'<text x="{label_w + width + 4:.1f}" y="{y + i * bar_h + 11}" font-size="11" fill="#0b0c0c">'
                         f'{"n/a" if value is None else f"{value:.1f}%"}</text>')
        y += 3 * bar_h + gap
    legend_y = y + 10
    # Each key as wide as its name, so a long region ("Yorkshire and The Humber") is not cut.
    x = 0
    for _attr, label, colour in colours:
        parts.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="{legend_y + 11}" font-size="12" fill="#0b0c0c">{escape(label)}</text>')
        x += 16 + 7 * len(label) + 14
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - names escaped, the rest numeric
