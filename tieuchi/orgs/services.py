"""Writes for units, organisations, people and legal documents. One transaction, one audit record."""

from django.db import transaction

from tieuchi.accounts import audit
from tieuchi.orgs.models import LegalDocument


def upsert_legal_document(spec, *, actor=None, channel="system") -> LegalDocument:
    """Create or update a legal document from a DocumentSpec-like object (number is the key)."""
    fields = {
        "doc_type": spec.doc_type,
        "title": spec.title,
        "issuer": spec.issuer,
        "issued_on": spec.issued_on,
        "effective_from": spec.effective_from,
        "signer": spec.signer,
    }
    with transaction.atomic():
        document, created = LegalDocument.objects.get_or_create(number=spec.number, defaults=fields)
        if created:
            audit.record(actor, "create", document, after=_snapshot(document), channel=channel)
            return document
        before = _snapshot(document)
        changed = {
            k: v for k, v in fields.items() if v not in (None, "") and getattr(document, k) != v
        }
        if changed:
            for key, value in changed.items():
                setattr(document, key, value)
            document.save(update_fields=list(changed))
            audit.record(
                actor, "update", document, before=before, after=_snapshot(document), channel=channel
            )
        return document


def _snapshot(document: LegalDocument) -> dict:
    return {
        "number": document.number,
        "doc_type": document.doc_type,
        "title": document.title,
        "issuer": document.issuer,
        "issued_on": document.issued_on.isoformat() if document.issued_on else None,
    }
