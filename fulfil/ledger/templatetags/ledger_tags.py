"""Ledger display helpers: state tags, durations, and a small SVG chart (with a table beside
it in the page, because charts are for looking and tables for reading)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from fulfil.ledger.ledger import STATE_LABELS, duration_words

register = template.Library()

_STATE_TAG = {
    "behind": "govuk-tag--red",
    "at_risk": "govuk-tag--orange",
    "on_track": "govuk-tag--green",
    "not_started": "govuk-tag--grey",
    "not_countable": "govuk-tag--yellow",
}


@register.filter
def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


@register.filter
def state_tag(state: str) -> str:
    return _STATE_TAG.get(state, "govuk-tag--grey")


@register.filter
def duration(minutes) -> str:
    return duration_words(float(minutes or 0))


@register.filter
def sessions(value) -> str:
    """Whole sessions where they are whole, one decimal place where pro rata makes a part."""
    value = float(value or 0)
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _short(label: str) -> str:
    """Axis labels: "Autumn 2025/26, half-term 1" -> "Aut 25 (1)", "Spring 2025/26" -> "Spr 26",
    "2025/26" stays as it is."""
    words = label.replace(",", "").split()
    if len(words) < 2:
        return label
    season, years = words[0][:3], words[1]
    start_year, end_year = years[2:4], years[-2:]
    short = f"{season} {start_year if season == 'Aut' else end_year}"
    return short + (f" ({words[-1]})" if "half-term" in label else "")


@register.simple_tag
def ledger_chart(ledger, chart_id: str):
    """Due (outline) and delivered (solid) sessions in each block, as an inline SVG."""
    chart_id = f"ledger-chart-{chart_id}"
    blocks = [b for b in ledger.blocks if b.due > 0 or b.delivered]
    if not blocks:
        return ""
    top = max(max(b.due, b.delivered) for b in blocks) or 1
    bar, gap, height = 14, 18, 110
    width = len(blocks) * (2 * bar + gap) + gap
    parts = [
        f'<svg class="fulfil-chart" role="img" aria-labelledby="{chart_id}-title" font-family="arial, sans-serif" '
        f'viewBox="0 0 {width} {height + 22}" '
        f'width="{width * 1.5:.0f}" height="{(height + 22) * 1.5:.0f}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">Sessions due and delivered in each period (the table below gives the figures)</title>',
        f'<line x1="0" y1="{height}" x2="{width}" y2="{height}" stroke="#505a5f" stroke-width="1"/>',
    ]
    for i, block in enumerate(blocks):
        x = gap + i * (2 * bar + gap)
        due_h = height * block.due / top
        done_h = height * block.delivered / top
        colour = "#d4351c" if block.is_behind else "#00703c"
        parts.append(f'<rect x="{x}" y="{height - due_h:.1f}" width="{bar}" height="{due_h:.1f}" '
                     'fill="#ffffff" stroke="#0b0c0c" stroke-width="1.5"/>')
        parts.append(f'<rect x="{x + bar}" y="{height - done_h:.1f}" width="{bar}" height="{done_h:.1f}" fill="{colour}"/>')
        parts.append(f'<text x="{x + bar}" y="{height + 16}" font-size="11" text-anchor="middle" fill="#0b0c0c">{escape(_short(block.label))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


@register.simple_tag
def pct_bars(rows, title: str = "Share of due sessions delivered, by therapy (the table below gives the figures)"):
    """Horizontal bars: a share per row (delivered / due), labelled with the row's label."""
    rows = [r for r in rows if r["due"] >= 0.5]
    if not rows:
        return ""
    label_w, bar_w, row_h = 230, 360, 34
    height = row_h * len(rows) + 10
    parts = [
        f'<svg class="fulfil-chart" role="img" aria-labelledby="pct-bars-title" font-family="arial, sans-serif" '
        f'viewBox="0 0 {label_w + bar_w + 70} {height}" '
        f'width="{label_w + bar_w + 70}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="pct-bars-title">{escape(title)}</title>',
    ]
    for i, row in enumerate(rows):
        share = min(1.0, row["delivered"] / row["due"])
        y = i * row_h + 6
        parts.append(f'<text x="0" y="{y + 17}" font-size="15" fill="#0b0c0c">{escape(row["label"])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="22" fill="#f3f2f1" stroke="#505a5f"/>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w * share:.1f}" height="22" fill="#1d70b8"/>')
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 17}" font-size="15" fill="#0b0c0c">{100 * share:.0f}%</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


@register.simple_tag
def quality_bars(groups):
    """Share of therapy lines quantified, by group (figures in the table beside it)."""
    rows = [{"label": g.label, "delivered": g.verdicts["quantified"], "due": g.lines} for g in groups if g.lines]
    return pct_bars(rows, title="Share of therapy lines quantified, by therapy (the tables below give the figures)")
