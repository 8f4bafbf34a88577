"""Split an area into parts that can be planned independently.

Two lines interact only through a therapist (their minutes and days) or a setting visit, and
therapists belong to one discipline. So per discipline, take the graph whose nodes are
therapists and the settings with lines of that discipline, with an edge where a therapist covers
a setting; each connected component (in practice, a patch) is a part. Parts share no
variable and no constraint, so solving them one by one loses nothing: the area optimum is the sum
of the part optima, and the sum of the part LP bounds is the area's LP bound.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from fulfil.planning.solver.schema import Need, TermInstance


def split(instance: TermInstance) -> tuple[list[TermInstance], list[Need]]:
    """The independent parts (each a smaller TermInstance, lines in their original order) and
    the lines no therapist of their discipline covers (they cannot be planned at all)."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: str, b: str) -> None:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)

    wanted = {(n.discipline, n.setting_id) for n in instance.needs if n.required > 0}
    for therapist in instance.therapists:
        for setting_id in therapist.settings_covered:
            if (therapist.discipline, setting_id) in wanted:
                union(f"{therapist.discipline}|t|{therapist.id}", f"{therapist.discipline}|s|{setting_id}")

    needs_by_root: dict[str, list[Need]] = defaultdict(list)
    uncovered: list[Need] = []
    for need in instance.needs:
        if need.required <= 0:
            continue
        node = f"{need.discipline}|s|{need.setting_id}"
        if node in parent:
            needs_by_root[find(node)].append(need)
        else:
            uncovered.append(need)

    parts = []
    for root in sorted(needs_by_root):
        discipline = root.split("|", 1)[0]
        therapists = tuple(t for t in instance.therapists
                           if f"{discipline}|t|{t.id}" in parent and find(f"{discipline}|t|{t.id}") == root)
        setting_ids = {n.setting_id for n in needs_by_root[root]}
        settings = tuple(s for s in instance.settings if s.id in setting_ids)
        parts.append(replace(instance, therapists=therapists, settings=settings, needs=tuple(needs_by_root[root])))
    return parts, uncovered
