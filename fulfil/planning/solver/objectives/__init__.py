"""The three goals of a term plan, in strict order (solved lexicographically by `solve.py`):

1. `fair_contacts`: statutory sessions delivered, fairly (first sessions before top-ups; the
   children furthest behind and with the earliest deadlines first);
2. `continuity`: children kept with their current therapist;
3. `travel`: fewest setting visits.
"""

from fulfil.planning.solver.objectives import continuity, fair_contacts, travel

__all__ = ["continuity", "fair_contacts", "travel"]
