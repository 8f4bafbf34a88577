"""fulfil enrolment-code: an enrolment code printed on the server, for the first administrator
(nobody can yet issue one on the Staff authenticators page) or when no administrator can sign in."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fulfil.accounts.models import User
from fulfil.accounts.services import ENROLMENT_CODE_LIFETIME, enrolment_code_issue
from fulfil.core import clock


class Command(BaseCommand):
    help = "Print a one-time enrolment code (valid 24 hours) so a member of staff can link their first authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--json", action="store_true", help="Print the code and its expiry as JSON")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account with username {username!r}")
        now = clock.now()
        try:
            code = enrolment_code_issue(user=user, issued_by=user, now=now, reason="Issued on the server with fulfil enrolment-code")
        except ValidationError as refused:
            raise CommandError(refused.messages[0]) from None
        expires_at = now + ENROLMENT_CODE_LIFETIME
        if options["json"]:
            self.stdout.write(json.dumps({"username": username, "code": code, "expires_at": expires_at.isoformat()}))
        else:
            self.stdout.write(f"Enrolment code for {user.display_name}: {code} (works once, until {expires_at:%H:%M %Z on %d %B %Y})")
