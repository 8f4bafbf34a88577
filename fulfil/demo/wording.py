"""Provision lines as plans really write them, for the demo generator.

Each template gives the structured item and the plan's own words. A few are deliberately
vague ("as appropriate", "up to"), as local audits find in real plans.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProvisionTemplate:
    discipline: str
    kind: str
    sessions: int | None
    minutes: int | None
    period: str
    deliverer: str
    group_allowed: bool
    wording: str
    weight: float = 1.0


T = ProvisionTemplate

MAIN_LINES: dict[str, list[ProvisionTemplate]] = {
    "salt": [
        T("salt", "direct", 1, 30, "week", "therapist", False,
          "Weekly 30-minute individual sessions with a speech and language therapist to develop "
          "{name}'s understanding of spoken language.", 4),
        T("salt", "direct", 2, 30, "week", "therapist", False,
          "Two 30-minute sessions a week of individual speech and language therapy with a SaLT, "
          "focusing on attention and listening and on using single words.", 2),
        T("salt", "direct", 6, 45, "term", "therapist", False,
          "6 x 45 minute direct speech and language therapy sessions per term, delivered by an "
          "HCPC-registered SaLT, targeting expressive language and vocabulary.", 3),
        T("salt", "direct", 2, 30, "half_term", "therapist", False,
          "Two 30-minute sessions of direct SALT each half-term to work on speech sound "
          "production, with targets shared with class staff.", 2),
        T("salt", "group", 1, 45, "week", "therapist", True,
          "One 45-minute small-group social communication session each week, led by a speech "
          "and language therapist (group of no more than 4).", 3),
        T("salt", "direct", 10, 30, "year", "therapist", False,
          "Ten 30-minute sessions of 1:1 speech and language therapy across the academic year "
          "to support the use of {name}'s AAC device.", 1),
        T("salt", "direct", None, None, "", "therapist", False,
          "Regular access to speech and language therapy as appropriate to {name}'s needs.", 0.6),
    ],
    "ot": [
        T("ot", "direct", 6, 45, "term", "therapist", False,
          "6 x 45 min direct OT per term plus a sensory diet delivered daily by a trained TA.", 3),
        T("ot", "direct", 1, 45, "week", "therapist", False,
          "Weekly 45-minute individual occupational therapy sessions focusing on fine motor "
          "skills and handwriting.", 3),
        T("ot", "direct", 3, 60, "term", "therapist", False,
          "Three 60-minute occupational therapy sessions per term to develop independence in "
          "dressing and self-care.", 2),
        T("ot", "group", 1, 45, "week", "therapist", True,
          "A weekly 45-minute motor skills group run by an occupational therapist.", 1.5),
        T("ot", "direct", None, None, "", "therapist", False,
          "Access to occupational therapy advice as and when needed.", 0.5),
    ],
    "physio": [
        T("physio", "direct", 1, 45, "week", "therapist", False,
          "A weekly 45-minute physiotherapy session to maintain range of movement and work on "
          "standing balance.", 2),
        T("physio", "direct", 2, 45, "half_term", "therapist", False,
          "2 x 45 minute direct physiotherapy sessions each half-term by a chartered "
          "physiotherapist.", 2),
        T("physio", "direct", 4, 60, "year", "therapist", False,
          "Four 60-minute physiotherapy reviews a year, including a review of {name}'s seating "
          "and standing frame.", 1),
        T("physio", "direct", 6, None, "year", "therapist", False,
          "Up to 6 sessions of physiotherapy a year if needed.", 0.4),
    ],
}

SUPPORTING_LINES: dict[str, list[ProvisionTemplate]] = {
    "salt": [
        T("salt", "indirect", 1, 60, "half_term", "school_staff", False,
          "A programme of language activities devised by a SaLT, delivered 3 times a week for 15 "
          "minutes by school staff, reviewed half-termly by the SaLT (60 minutes).", 2),
        T("salt", "training", 1, 90, "year", "therapist", False,
          "Training for {name}'s class staff from the speech and language therapy service once a "
          "year (90 minutes) on using visual supports.", 1),
        T("salt", "review", 1, 60, "year", "therapist", False,
          "An annual assessment of {name}'s communication by a speech and language therapist, "
          "with a written report for the annual review.", 1),
    ],
    "ot": [
        T("ot", "indirect", 1, 60, "term", "school_staff", False,
          "A sensory programme set by an occupational therapist, delivered daily by a trained "
          "TA and reviewed by the OT each term (60 minutes).", 2),
        T("ot", "review", 1, 60, "year", "therapist", False,
          "An annual OT review of {name}'s equipment and classroom set-up.", 1),
    ],
    "physio": [
        T("physio", "indirect", 1, 60, "half_term", "school_staff", False,
          "A daily stretching and positioning programme delivered by trained school staff, set "
          "and reviewed half-termly by a physiotherapist (60 minutes).", 2),
        T("physio", "review", 1, 60, "term", "therapist", False,
          "A review of {name}'s postural management and equipment by a physiotherapist once a "
          "term.", 1),
    ],
}

# Section E outcomes by broad area of need.
OUTCOMES: dict[str, list[tuple[str, str]]] = {
    "communication": [
        ("Communication and interaction",
         "By the end of Key Stage {ks}, {name} will be able to ask for help using a short sentence or their communication aid in class."),
        ("Communication and interaction", "{name} will follow two-step instructions given to the whole class without an adult repeating them."),
        ("Communication and interaction", "{name} will take part in a conversation with a peer for at least three turns."),
    ],
    "physical": [
        ("Physical and sensory", "{name} will dress and undress independently for PE within 10 minutes."),
        ("Physical and sensory", "{name} will write a sentence legibly using a comfortable pencil grip."),
        ("Physical and sensory", "{name} will move safely around the school site, including stairs, with minimal adult support."),
    ],
    "learning": [
        ("Cognition and learning", "{name} will read and understand a short passage at their level and answer questions about it."),
        ("Social, emotional and mental health", "{name} will use a calming strategy when upset, with a reminder from an adult."),
        ("Preparing for adulthood", "{name} will travel to college with a travel trainer and then independently."),
    ],
}
