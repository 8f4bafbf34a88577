import pytest
from django.db import DatabaseError, connection, transaction

from fulfil.accounts.models import AccessRecord, AccessRecordIsAppendOnly
from fulfil.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(area):
    return AccessRecord.objects.create(user=UserFactory(local_area=area), role="council_officer", local_area=area,
                                       action="view-child", child=ChildFactory(local_area=area), path="/children/x/")


def test_the_application_cannot_change_or_delete_an_access_record(record):
    record.action = "nothing-to-see"
    with pytest.raises(AccessRecordIsAppendOnly):
        record.save()
    with pytest.raises(AccessRecordIsAppendOnly):
        record.delete()
    with pytest.raises(AccessRecordIsAppendOnly):
        AccessRecord.objects.filter(pk=record.pk).update(action="x")
    with pytest.raises(AccessRecordIsAppendOnly):
        AccessRecord.objects.all().delete()
    assert AccessRecord.objects.get(pk=record.pk).action == "view-child"


@pytest.mark.postgres
def test_on_postgresql_the_database_refuses_too(record):
    assert connection.vendor == "postgresql"  # the marker keeps this test out of SQLite runs
    for sql in ("UPDATE core_accessrecord SET action = 'x'", "DELETE FROM core_accessrecord"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AccessRecord.objects.filter(pk=record.pk, action="view-child").exists()
