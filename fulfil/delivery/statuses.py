"""What became of a session: each status said once, with its label.

Pure (no Django): the ledger (`fulfil.ledger.ledger`) counts contacts by these values, and
`delivery.models.SessionStatus` builds the database choices from them, so what is stored and
what is counted are the same words.
"""

from __future__ import annotations

from enum import StrEnum


class SessionStatus(StrEnum):
    PLANNED = "planned"
    DELIVERED = "delivered"
    CANCELLED_BY_SETTING = "cancelled_setting"
    CANCELLED_BY_FAMILY = "cancelled_family"
    CANCELLED_BY_PROVIDER = "cancelled_provider"
    DID_NOT_ATTEND = "dna"
    # A planned session whose children were recorded in another session of the same visit
    # (e.g. merged into the group). It has no attendances left, so the ledger never sees it.
    REPLACED = "replaced"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[str, str] = {
    SessionStatus.PLANNED.value: "Planned",
    SessionStatus.DELIVERED.value: "Delivered",
    SessionStatus.CANCELLED_BY_SETTING.value: "Cancelled by setting",
    SessionStatus.CANCELLED_BY_FAMILY.value: "Cancelled by family",
    SessionStatus.CANCELLED_BY_PROVIDER.value: "Cancelled by provider",
    SessionStatus.DID_NOT_ATTEND.value: "Did not attend",
    SessionStatus.REPLACED.value: "Replaced by the visit record",
}
