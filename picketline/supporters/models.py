"""Supporters, the actions they take, and the consent they give.

A supporter is one e-mail address. The address, name, phone and every free-text field are
encrypted at rest (``picketline.web.fields.EncryptedTextField``); the address is found through a
keyed blind index, never through a plaintext column.

Everything a supporter does (a letter, a registration, a video…) is a subclass of
``ConfirmableAction``: it counts only once confirmed by the link in an e-mail (double opt-in),
it is deleted when the supporter says "it was not me" or never confirms, and on erasure it stays
counted but loses every trace of the person.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import time
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from picketline.partners.models import Partner, validate_source
from picketline.supporters import tally, withdrawal
from picketline.supporters.abuse import forget_address
from picketline.web.content import (
    KEPT_SECONDS,
    PublicContent,
    content_changed,
    content_version,
)
from picketline.web.countries import is_country
from picketline.web.fields import EncryptedTextField, email_index
from picketline.web.moments import moment_text


def _new_nonce() -> str:
    return secrets.token_urlsafe(16)


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def for_email(self, email: str) -> Supporter | None:
        """The supporter with this address, or None. Found by blind index only."""
        return self.filter(email_index=email_index(email)).first()

    def informed(self, partner: Partner | None = None) -> SupporterQuerySet:
        """Who may be sent news: a confirmed, not withdrawn consent to be kept informed by the
        organiser (or, with ``partner``, by that partner)."""
        consents = Consent.objects.confirmed().filter(
            purpose=Consent.Purpose.PARTNER_UPDATES
            if partner is not None
            else Consent.Purpose.ORGANISER_UPDATES
        )
        if partner is not None:
            consents = consents.filter(partner=partner)
        return self.filter(pk__in=consents.values("supporter_id"))


# The unique column that makes one supporter per address (for INSERT … ON CONFLICT).
UNIQUE_ADDRESS = ("email_index",)
# What an action form may fill in on a supporter whose address is not confirmed yet.
FILLED_BY_FORMS = ("name", "country", "phone", "language")
# The fields a form fills whose time the row keeps (the column that keeps it), for "it was not
# me" (``ConfirmableAction.reject``). No form gives a phone; the language is replaced, not filled.
GIVEN_AT = {"name": "name_given_at", "country": "country_given_at"}


class Supporter(models.Model):
    # Unique through Meta.constraints: a plain unique index (a unique field would get a
    # second, pattern-matching index on PostgreSQL that no query uses).
    email_index = models.CharField(max_length=64, editable=False)
    email = EncryptedTextField(_("e-mail address"))
    name = EncryptedTextField(_("name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    country = EncryptedTextField(_("country"), blank=True)
    # A country marked as dangerous given with this address on a later form, when the row says
    # another (the fields above do not change once confirmed): mails and moderators take the
    # same care as for ``country``. Only ever set, never cleared by a safer one.
    gave_dangerous_country = EncryptedTextField(_("country treated with extra care"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    # Set when the supporter first confirms anything: the address is proven to be theirs.
    confirmed_at = models.DateTimeField(_("address confirmed"), null=True, blank=True)
    # Part of every privacy-page link; replaced when a link is used, so each works once.
    link_nonce = models.CharField(max_length=32, default=_new_nonce, editable=False)
    # When the form that gave the name (the country) held here was sent: the ``created_at`` of
    # the action it stored. "It was not me" on that action takes them back (``reject``).
    name_given_at = models.DateTimeField(null=True, blank=True, editable=False)
    country_given_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=UNIQUE_ADDRESS, name="one_supporter_per_address")
        ]
        permissions = [
            ("view_personal_data", _("Can see supporters' personal data")),
            ("export_personal_data", _("Can export supporters' personal data")),
        ]

    def __str__(self) -> str:
        # Never the address or name: this string ends up in admin logs and messages.
        return f"{_('Supporter')} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email_index = email_index(self.email)
        super().save(*args, **kwargs)

    @classmethod
    def get_or_create_for_email(
        cls,
        email: str,
        *,
        name: str = "",
        language: str = "",
        country: str = "",
        phone: str = "",
        given_at: datetime | None = None,
        dangerous_country: str = "",
    ) -> tuple[Supporter, bool]:
        """The one supporter for this address, created if new.

        Whoever types someone else's address into a form must not be able to change that
        person's data: once the address is confirmed nothing here changes it (the action keeps
        what was typed with it); before that a given value only fills an empty field, and the
        row keeps when (``given_at``: the ``created_at`` of the action the form stores) so
        that "it was not me" on that action takes it back.

        ``dangerous_country`` is ``country`` when it is marked as dangerous. A known address
        whose row keeps another country remembers it in ``gave_dangerous_country``, also once
        confirmed: it only adds caution (``ConfirmableAction.calls_for_discretion``).
        """
        new = cls.unsaved(
            email, name=name, language=language, country=country, phone=phone, given_at=given_at
        )
        # One statement, the same whether the address is new or known, so that how long a
        # form takes tells nobody whether an address is known: an INSERT that, for a known
        # address, updates the existing row instead (and locks it until the end of the
        # transaction) by the rules above, and returns the row as it now is.
        sql, params = _upsert_by_address(new, dangerous_country.strip().upper())
        (supporter,) = cls.objects.raw(sql, params)
        created = supporter.link_nonce == new.link_nonce  # a random value of this insert
        return supporter, created

    @classmethod
    def unsaved(
        cls,
        email: str,
        *,
        name: str = "",
        language: str = "",
        country: str = "",
        phone: str = "",
        given_at: datetime | None = None,
    ) -> Supporter:
        """A new supporter for this address, not saved: what ``get_or_create_for_email``
        inserts when the address is new."""
        given_at = given_at or timezone.now()
        supporter = cls(
            email=email.strip(),
            name=name.strip(),
            language=language or settings.LANGUAGE_CODE,
            country=country.strip(),
            phone=phone.strip(),
        )
        supporter.name_given_at = given_at if supporter.name else None
        supporter.country_given_at = given_at if supporter.country else None
        supporter.email_index = email_index(supporter.email)
        return supporter

    def mark_confirmed(self, when: datetime | None = None) -> bool:
        """Mark the address proven; True when this call did it (the first confirmation)."""
        if self.confirmed_at is not None:
            return False
        self.confirmed_at = when or timezone.now()
        return bool(set_confirmed_at(Supporter, self.confirmed_at, {"id": self.pk}))

    def take_back_given_with(self, action: ConfirmableAction) -> None:
        """Empty the name and the country that the form of ``action`` filled in (rejected, or
        a form that stored no action): what another person typed with this address does not
        stay on its owner's row. Also once the address is confirmed: a form fills only an
        unconfirmed row, so what it filled is not the owner's for their having confirmed
        their own action first."""
        filled = [n for n, given in GIVEN_AT.items() if getattr(self, given) == action.created_at]
        if not filled:
            return
        # Only while the row still holds what that form gave: asked again in the statement.
        Supporter.objects.filter(
            pk=self.pk, **{GIVEN_AT[name]: action.created_at for name in filled}
        ).update(**{name: "" for name in filled}, **{GIVEN_AT[name]: None for name in filled})

    def delete_if_nothing_left(self, delete_mail: bool = True) -> bool:
        """A supporter who never confirmed anything and has nothing left goes entirely,
        including (unless the caller does it in bulk) the mail we queued to the address."""
        if self.confirmed_at is not None or self.actions() or self.consents.exists():
            return False
        if delete_mail:
            delete_mail_to([self.email])
        self.delete()
        return True

    def rotate_link_nonce(self) -> None:
        self.link_nonce = _new_nonce()
        Supporter.objects.filter(pk=self.pk).update(link_nonce=self.link_nonce)

    def actions(self) -> list[ConfirmableAction]:
        """Everything this supporter did, across every app."""
        found: list[ConfirmableAction] = []
        for model in action_models():
            found.extend(
                model.objects.filter(supporter=self)
                .select_related("partner")
                .order_by("created_at")
            )
        return found

    def personal_data(self) -> dict[str, Any]:
        """Everything held about this person, for the privacy page and its JSON download."""
        return {
            "supporter": {
                "email": self.email,
                "name": self.name,
                "phone": self.phone,
                "country": self.country,
                "gave_dangerous_country": self.gave_dangerous_country,
                "language": self.language,
                "created_at": self.created_at.isoformat(),
                "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
                "name_given_at": _iso(self.name_given_at),
                "country_given_at": _iso(self.country_given_at),
            },
            "consents": [consent.as_dict() for consent in self.consents.order_by("given_at")],
            "actions": [
                {
                    "kind": str(action._meta.verbose_name),
                    "created_at": action.created_at.isoformat(),
                    "confirmed_at": action.confirmed_at.isoformat()
                    if action.confirmed_at
                    else None,
                    "language": action.language,
                    # Where it came from (supporters.attribution): a partner, a link, a share.
                    "came_through": {
                        "partner": action.partner.name if action.partner_id else "",
                        "source": action.source,
                    },
                    "data": action.personal_data(),
                }
                for action in self.actions()
            ],
            "messages": [
                {
                    "kind": message.kind,
                    "subject": message.shown_subject(),
                    "status": message.status,
                    "created_at": message.created_at.isoformat(),
                    "sent_at": message.sent_at.isoformat() if message.sent_at else None,
                }
                for message in self.messages()
            ],
        }

    def messages(self) -> list[Any]:
        """The outbox messages addressed to this person, oldest first."""
        return mail_to([self.email])

    def erase(self, reason: str = "request", delete_mail: bool = True) -> None:
        """Remove this person everywhere. Confirmed actions stay counted, without the person;
        unconfirmed ones go. Consent records stay as anonymous proof, marked withdrawn."""
        with transaction.atomic():
            now = timezone.now()
            counts: dict[str, int] = {}
            for action in self.actions():
                label = action._meta.label_lower
                counts[label] = counts.get(label, 0) + 1
                if action.confirmed_at is None:
                    action.delete()
                else:
                    action.erase_personal_data()
                    action.supporter = None
                    action.save()
            self.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
            self.consents.update(supporter=None, page="")
            if delete_mail:  # callers erasing many do it once for all (delete_mail_to)
                delete_mail_to([self.email])
            forget_address(self.email)  # the rate limits' counters kept by its blind index
            ErasureLog.objects.create(reason=reason, actions=counts)
            self.delete()
            content_changed()  # names and videos the person published leave cached pages


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def set_confirmed_at(
    model: type[models.Model],
    when: datetime,
    match: dict[str, Any],
    unless_confirmed: dict[str, Any] | None = None,
) -> int:
    """Set ``confirmed_at`` to ``when`` on the unconfirmed rows of ``model`` whose fields
    equal ``match`` (names and values); with ``unless_confirmed`` (the same), only while no
    confirmed row has those values. Returns the number of rows changed. One statement, the
    same on SQLite and PostgreSQL, whose text each process makes once per shape: built through
    the ORM, it cost more than running it."""
    sql = _set_confirmed_sql(model, connection.vendor, tuple(match), tuple(unless_confirmed or ()))
    params = _prepared(model, {"confirmed_at": when}) + _prepared(model, match)
    if unless_confirmed:
        params += _prepared(model, unless_confirmed)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _prepared(model: type[models.Model], values: dict[str, Any]) -> list[Any]:
    """``values`` (field names and values) as their fields hand them to the database. None is
    refused: ``= NULL`` would match nothing where the ORM would have asked ``IS NULL``."""
    prepared = []
    for name, value in values.items():
        if value is None:
            raise ValueError(f"{model._meta.label}.{name}: None cannot be compared with =")
        prepared.append(model._meta.get_field(name).get_db_prep_value(value, connection))
    return prepared


def _column(model: type[models.Model], name: str) -> str:
    """The quoted column of ``model``'s field ``name``, for statements written out."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


@functools.cache
def _set_confirmed_sql(
    model: type[models.Model], vendor: str, match: tuple[str, ...], same: tuple[str, ...]
) -> str:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column = functools.partial(_column, model)
    confirmed = column("confirmed_at")
    where = " AND ".join(f"{column(name)} = %s" for name in match)
    sql = f"UPDATE {table} SET {confirmed} = %s WHERE {where} AND {confirmed} IS NULL"
    if same:
        # The row itself is unconfirmed (the WHERE above), so it never matches here.
        alike = " AND ".join(f"other.{column(name)} = %s" for name in same)
        sql += (
            f" AND NOT EXISTS (SELECT 1 FROM {table} other WHERE {alike}"
            f" AND other.{confirmed} IS NOT NULL)"
        )
    return sql


def first_earlier(
    model: type[models.Model],
    fields: tuple[str, ...],
    equal: dict[str, Any],
    *,
    other_than: int | None = None,
    not_in: tuple[str, tuple[Any, ...]] | None = None,
    confirmed_first: bool = False,
) -> Any:
    """The first row of ``model`` whose fields equal ``equal`` (names and values), or None:
    loaded with its key and ``fields`` only, not the row ``other_than`` (a key), nor one whose
    field ``not_in[0]`` holds a value of ``not_in[1]``; the oldest first, or with
    ``confirmed_first`` the first confirmed (then by key). What a form asks of an address's
    earlier action of the same kind, asked the same way whether there is one or not: one
    statement whose text a process makes once per shape (through the ORM, building it cost
    twice what running it does)."""
    if not_in is not None and not not_in[1]:
        not_in = None  # nothing to leave out (and "NOT IN ()" is no SQL on PostgreSQL)
    sql = _first_earlier_sql(
        model,
        connection.vendor,
        fields,
        tuple(equal),
        other_than is not None,
        None if not_in is None else (not_in[0], len(not_in[1])),
        confirmed_first,
    )
    params = _prepared(model, equal)
    if not_in is not None:
        name, values = not_in
        params += [_prepared(model, {name: value})[0] for value in values]
    if other_than is not None:
        params += _prepared(model, {model._meta.pk.name: other_than})
    return next(iter(model.objects.raw(sql, params)), None)


@functools.cache
def _first_earlier_sql(
    model: type[models.Model],
    vendor: str,
    fields: tuple[str, ...],
    equal: tuple[str, ...],
    other_than: bool,
    not_in: tuple[str, int] | None,
    confirmed_first: bool,
) -> str:
    quote = connection.ops.quote_name
    column = functools.partial(_column, model)
    pk = quote(model._meta.pk.column)
    selected = ", ".join([pk, *(column(name) for name in fields)])
    where = [f"{column(name)} = %s" for name in equal]
    if not_in is not None:
        name, count = not_in
        where.append(f"{column(name)} NOT IN ({', '.join(['%s'] * count)})")
    if other_than:
        where.append(f"{pk} <> %s")
    if confirmed_first:
        confirmed = column("confirmed_at")
        order = f"({confirmed} IS NULL), {confirmed}, {pk}"
    else:
        order = f"{column('created_at')}, {pk}"
    return (
        f"SELECT {selected} FROM {quote(model._meta.db_table)} "
        f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT 1"
    )


def _upsert_by_address(new: Supporter, dangerous_country: str = "") -> tuple[str, list[Any]]:
    """The SQL (the same on SQLite and PostgreSQL) that inserts ``new``, or, when its address
    is known, fills the empty ones of the fields a form may fill (the language is replaced)
    while the address is not confirmed, and keeps ``dangerous_country`` (a code, or "") in
    ``gave_dangerous_country`` unless it fills the empty country now; and returns the row."""
    fields = [f for f in Supporter._meta.concrete_fields if not f.primary_key]
    params = [f.get_db_prep_save(getattr(new, f.attname), connection) for f in fields]
    gave = Supporter._meta.get_field("gave_dangerous_country")
    params.append(gave.get_db_prep_save(dangerous_country, connection))
    return _upsert_sql(connection.vendor), params


@functools.cache
def _upsert_sql(vendor: str) -> str:
    """The text of ``_upsert_by_address``'s statement: the same for every supporter, so made
    once per process (and per kind of database, ``vendor``, whose quoting it uses)."""
    quote = connection.ops.quote_name
    table = quote(Supporter._meta.db_table)
    fields = [f for f in Supporter._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    unconfirmed = f"{table}.{quote('confirmed_at')} IS NULL"
    changes = []
    for name in FILLED_BY_FORMS:
        column = quote(Supporter._meta.get_field(name).column)
        when = unconfirmed if name == "language" else f"{unconfirmed} AND {table}.{column} = ''"
        changes.append(
            f"{column} = CASE WHEN {when} THEN excluded.{column} ELSE {table}.{column} END"
        )
        if name in GIVEN_AT:  # when it was filled, read as the row was before this statement
            given = quote(GIVEN_AT[name])
            changes.append(
                f"{given} = CASE WHEN {when} AND excluded.{column} <> '' "
                f"THEN excluded.{given} ELSE {table}.{given} END"
            )
    # Decided here rather than by a second statement, which only a known address would cost.
    # The row's country cannot be compared with it (each value is encrypted anew): where it
    # already names the same country, that country is kept twice.
    gave = quote(Supporter._meta.get_field("gave_dangerous_country").column)
    country = quote(Supporter._meta.get_field("country").column)
    changes.append(
        f"{gave} = CASE WHEN {unconfirmed} AND {table}.{country} = '' THEN {table}.{gave} "
        f"ELSE COALESCE(NULLIF(%s, ''), {table}.{gave}) END"
    )
    returned = ", ".join(quote(f.column) for f in Supporter._meta.concrete_fields)
    conflict = ", ".join(quote(name) for name in UNIQUE_ADDRESS)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT ({conflict}) "
        f"DO UPDATE SET {', '.join(changes)} RETURNING {returned}"
    )


def mail_to(addresses: list[str]) -> list[Any]:
    """Outbox messages that hold any of ``addresses`` as sender, reply address or recipient
    (confirmations, privacy links, letters sent in the person's name…), oldest first. Found by
    the addresses' blind index: nothing is decrypted to find them."""
    from picketline.mail.models import OutgoingMessage

    return list(OutgoingMessage.objects.involving(addresses).order_by("created_at", "pk"))


# The outbox's confirmation mail of one action (``flow``): its kind, and its reference to the
# action, by which the worker writes it and "it was not me" deletes it.
CONFIRMATION_KIND = "confirmation"


def confirmation_ref(action: models.Model) -> str:
    return f"{action._meta.label_lower}:{action.pk}"


def delete_mail_to(addresses: list[str]) -> int:
    """Delete every outbox message that holds any of ``addresses`` (and the local mailbox's
    copies), and what the outbox counted about their delivery. Returns how many messages went."""
    from picketline.mail.models import AddressHealth, OutgoingMessage

    if not addresses:
        return 0
    AddressHealth.objects.for_addresses(addresses).delete()
    return OutgoingMessage.objects.involving(addresses).delete_with_copies()


class ErasureLog(models.Model):
    """That an erasure happened, and of how much: never who."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("the supporter asked")
        RETENTION = "retention", _("retention period ended")
        ORGANISER = "organiser", _("an organiser erased it")

    erased_at = models.DateTimeField(_("erased"), default=timezone.now, db_index=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    actions = models.JSONField(
        _("actions"), default=dict, help_text=_("How many actions of each kind.")
    )

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasure log")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        # Staff read it in the admin: on their clocks, the zone named.
        return f"{self.get_reason_display()} {moment_text(self.erased_at)}"


class HeldNotice(models.Model):
    """A notice to the staff that the erasure at the campaign's end keeps for one mail of its
    batch (``supporters.campaign_end``): written in the transaction of the erasure that hands it
    in, deleted in the one that queues the mail, so that a worker killed in between leaves it
    for the next run. It holds what the staff are told (a video's number), never who."""

    # The dotted path of the function that tells, and what it is handed (JSON).
    tell = models.CharField(max_length=200)
    item = models.JSONField()
    held_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.tell} {self.held_at:%Y-%m-%d %H:%M}"


def action_models() -> list[type[ConfirmableAction]]:
    """Every concrete ConfirmableAction in the project, found through the app registry."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, ConfirmableAction) and not model._meta.abstract
    ]


class ConfirmableActionQuerySet(models.QuerySet):
    def confirmed(self) -> ConfirmableActionQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self) -> ConfirmableActionQuerySet:
        return self.filter(confirmed_at__isnull=True)


# What a confirmation link's page reads of every action (the link's stamp, whether it is
# confirmed, the language of its summary), and what confirming one reads (``confirm()``, the
# supporter's address proven, the counts: ``tally``).
LINK_PAGE_FIELDS = ("created_at", "confirmed_at", "language")
CONFIRMING_FIELDS = (
    *LINK_PAGE_FIELDS,
    "partner",
    "source",
    "supporter",
    "supporter__confirmed_at",
    "supporter__country",
    "supporter__language",
)

# What ``flow.tell_done_already`` reads of an earlier action that a new one repeats (its
# confirmation mail goes again, or a mail that it was done already).
EARLIER_FIELDS = ("supporter", "language", "created_at", "confirmed_at", "confirmation_mails_sent")


class ConfirmableAction(models.Model):
    """Base for everything a supporter does. Subclasses implement:

    - ``confirmation_subject()``: what the confirmation mail and page call it ("Your letter to…");
    - ``on_confirmed()``: what happens once confirmed, in the confirming request (take a
      seat…); what can wait is the worker's (a letter's deliveries);
    - ``personal_data()``: a JSON-able dict of the personal data this row holds;
    - ``erase_personal_data()``: blank those fields and delete the mail that carries them
      but is not addressed to the person (a letter to a minister); the row stays, counted,
      anonymous. Mail that holds the person's address goes in ``Supporter.erase()``;
    - optionally ``shown_time_zone()``: the zone whose clocks the privacy page reads the times
      of ``personal_data()`` on (the site's zone by default; a hosted action's own zone);
    - optionally ``on_rejected()`` ("it was not me"; deletes the row by default);
    - optionally ``earlier_of_same(supporter)``: the supporter's own earlier action that this
      one would repeat (the same letter again), so that each person does it once.
    """

    supporter = models.ForeignKey(
        Supporter,
        verbose_name=_("supporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(app_label)s_%(class)s_set",
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)
    confirmation_mails_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    # Where the action came from (``supporters.attribution``): the partner whose embed or link
    # it came through, and how ("embed", "link:newsletter", "share:mastodon"). Set once, when
    # the action is taken; nothing about the visitor.
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        _("source"), max_length=40, blank=True, default="", validators=[validate_source]
    )

    objects = ConfirmableActionQuerySet.as_manager()

    # The foreign key that says which action of its kind this is (a letter's letter action, a
    # registration's event), for counts by action; empty when a kind has no such key.
    counted_by = ""
    # What a confirmation link's page reads besides the action (for its summary), and what its
    # POST reads (the supporter: the address proven, the counts; what names the page after
    # confirming): each loaded with the action in one query (``flow.resolve_action_token``).
    shown_with_link: tuple[str, ...] = ()
    loaded_to_confirm: tuple[str, ...] = ("supporter",)
    # The fields of those two queries (``QuerySet.only``, a related one as "action__slug"), so
    # that they neither select nor decrypt what the page or the POST does not read; empty for
    # every field. A field left out and then read costs a query of its own, so a kind names
    # them only together with a test that counts the queries of its link (tests/supporters/
    # test_a_confirmation_link_reads_the_action_once.py). Start from ``LINK_PAGE_FIELDS`` and
    # ``CONFIRMING_FIELDS``: what ``flow``, ``confirm()`` and the counts read of every kind.
    fields_shown_with_link: tuple[str, ...] = ()
    fields_loaded_to_confirm: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def counted_country(self) -> str:
        """The supporter's own country for counts: the last one given (a letter's is the one
        written from), as an ISO code, or "" when none was given. Never a recipient's."""
        for given in reversed(self.countries_given()):
            code = (given or "").strip().upper()
            if is_country(code):
                return code
        return ""

    def counted_key(self) -> str:
        """Which action of its kind this is, for counts by action ("" when none)."""
        if not self.counted_by:
            return ""
        value = getattr(self, f"{self.counted_by}_id")
        return "" if value is None else str(value)

    def confirmation_subject(self) -> str:
        raise NotImplementedError

    def countries_given(self) -> list[str]:
        """The countries the supporter gave, with this action or before (a letter adds the
        country it was written from)."""
        return [self.supporter.country] if self.supporter else []

    def calls_for_discretion(self) -> bool:
        """Does the supporter say they are in a country organisers marked as dangerous, with
        this action or any form before (``Supporter.gave_dangerous_country``)? Then what others
        can see of a mail to them (its subject) names nothing of the campaign, and moderators
        are warned before they publish what they sent."""
        codes = DangerousCountry.objects.codes()
        given = [*self.countries_given()]
        if self.supporter:
            given.append(self.supporter.gave_dangerous_country)
        return any(country.strip().upper() in codes for country in given)

    @classmethod
    def for_confirmation_mails(cls, pks: list[int]) -> dict[int, ConfirmableAction]:
        """The actions (by key) loaded to write their confirmation mails, with their
        supporters; those gone are missing. A subclass may load more, or reuse what a process
        remembers."""
        return {
            action.pk: action
            for action in cls.objects.filter(pk__in=pks).select_related("supporter")
        }

    def on_confirmed(self) -> None:
        """Called once, inside the transaction that confirms."""

    def on_rejected(self) -> None:
        self.delete()

    def after_confirming_url(self, newly: bool) -> str:
        """Where the POST that confirms leads: a page the same for everyone who confirms this
        (cached; nothing personal in it or its address). Subclasses name their own page."""
        return reverse("supporters:confirmed" if newly else "supporters:already_confirmed")

    def earlier_of_same(self, supporter: Supporter) -> ConfirmableAction | None:
        """This supporter's earlier action that this one repeats, a confirmed one first, or
        None. By default nothing repeats (a subscription, a video message)."""
        return None

    # For a kind whose repeats can be told in SQL: the fields that, with the supporter, make
    # two of its actions the same one (a letter: its action). ``confirm`` then refuses a
    # repeat of a confirmed one inside its UPDATE (one statement instead of two). Empty when
    # nothing repeats or a kind compares in Python (``earlier_of_same`` is asked first).
    repeated_when_same: tuple[str, ...] = ()

    def personal_data(self) -> dict[str, Any]:
        raise NotImplementedError

    def shown_time_zone(self) -> str:
        """The zone the privacy page shows this action's times in (always naming it)."""
        return settings.TIME_ZONE

    def erase_personal_data(self) -> None:
        raise NotImplementedError

    def confirm(self) -> bool:
        """Confirm once. Returns True if this call confirmed it, False if it already was.

        Two unconfirmed copies (made before forms refused a repeat): the first one confirmed
        counts, this one goes, and the page says it was done already."""
        with transaction.atomic():
            same = self.repeated_when_same if self.supporter_id is not None else ()
            if not same and self.repeats_a_confirmed_one():
                self._drop_as_repeat()
                return False
            now = timezone.now()
            won = set_confirmed_at(type(self), now, {"id": self.pk}, self._repeat_key(same))
            if not won:
                self.refresh_from_db(fields=["confirmed_at"])
                if self.confirmed_at is None:  # not confirmed, so a repeat held it back
                    self._drop_as_repeat()
                return False
            self.confirmed_at = now
            first = False
            if self.supporter_id:
                first = self.supporter.mark_confirmed(now)
                set_confirmed_at(
                    Consent, now, {"action_type": self._meta.label_lower, "action_id": self.pk}
                )
            self.on_confirmed()
            tally.confirmed(self, first_of_supporter=first)
            return True

    def _repeat_key(self, same: tuple[str, ...]) -> dict[str, Any] | None:
        """The fields (with this action's values) that a confirmed repeat would share with it:
        its supporter and ``repeated_when_same``; None when nothing is compared in SQL."""
        if not same:
            return None
        fields = [self._meta.get_field(name) for name in ("supporter", *same)]
        return {field.name: getattr(self, field.attname) for field in fields}

    def _drop_as_repeat(self) -> None:
        Consent.objects.for_action(self).delete()
        self.on_rejected()

    def repeats_a_confirmed_one(self) -> bool:
        if self.supporter_id is None or self.confirmed_at is not None:
            return False
        earlier = self.earlier_of_same(self.supporter)
        return earlier is not None and earlier.confirmed_at is not None

    def reject(self) -> bool:
        """ "It was not me": unconfirmed data goes at once. Returns False if already confirmed."""
        with transaction.atomic():
            fresh = type(self).objects.select_for_update().filter(pk=self.pk).first()
            if fresh is None or fresh.confirmed_at is not None:
                return False
            supporter = fresh.supporter
            Consent.objects.for_action(fresh).delete()
            if supporter is not None:
                # Its confirmation mail names what was entered (the demo's mailbox keeps a copy,
                # with the subject): it goes with it. Found through the address's blind index.
                from picketline.mail.models import OutgoingMessage

                OutgoingMessage.objects.involving([supporter.email]).filter(
                    kind=CONFIRMATION_KIND, compose_ref=confirmation_ref(fresh)
                ).delete_with_copies()
            fresh.on_rejected()
            if supporter is not None:
                supporter.take_back_given_with(fresh)
                supporter.delete_if_nothing_left()
            return True


class ConsentWording(models.Model):
    """One exact text shown to supporters, stored once and referred to by its hash."""

    sha256 = models.CharField(max_length=64, unique=True, editable=False)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8)
    first_used_at = models.DateTimeField(_("first used"), default=timezone.now)

    class Meta:
        verbose_name = _("consent wording")
        verbose_name_plural = _("consent wordings")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.language})"

    @classmethod
    def for_text(cls, text: str, language: str) -> ConsentWording:
        digest = hashlib.sha256(f"{language}\0{text}".encode()).hexdigest()
        wording, _created = cls.objects.get_or_create(
            sha256=digest, defaults={"text": text, "language": language}
        )
        return wording

    @classmethod
    def id_for_text(cls, text: str, language: str) -> int:
        """The primary key of the wording for ``text``, created if new. Wordings are never
        changed or deleted (consents protect them), so each process remembers the keys it
        has seen committed and every consent after the first costs no lookup."""
        digest = hashlib.sha256(f"{language}\0{text}".encode()).hexdigest()
        known = _KNOWN_WORDINGS.get(digest)
        if known is None:
            known = cls.for_text(text, language).pk
            # Only once committed: a wording created in a transaction that rolls back is gone.
            transaction.on_commit(lambda: _KNOWN_WORDINGS.__setitem__(digest, known))
        return known


# sha256 of a wording → its primary key, for wordings known to be committed.
_KNOWN_WORDINGS: dict[str, int] = {}


def forget_known_wordings() -> None:
    """For tests that empty the database between tests (the keys would point nowhere)."""
    _KNOWN_WORDINGS.clear()


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def confirmed(self) -> ConsentQuerySet:
        return self.active().filter(confirmed_at__isnull=False)

    def for_action(self, action: ConfirmableAction) -> ConsentQuerySet:
        return self.filter(action_type=action._meta.label_lower, action_id=action.pk)

    def withdraw(self) -> int:
        """Withdraw every standing consent of this set, each with what rests on it
        (``supporters.withdrawal``), in one transaction. Returns how many this call withdrew:
        a consent another request withdrew meanwhile is not counted, nor stopped twice."""
        with transaction.atomic():
            now = timezone.now()
            withdrawn = []
            for consent in self.active().order_by("pk"):
                done = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
                    withdrawn_at=now
                )
                if done:
                    consent.withdrawn_at = now
                    withdrawal.stop_what_rests_on(consent)
                    withdrawn.append(consent)
            if any(consent.purpose in PUBLIC_PURPOSES for consent in withdrawn):
                # A name or a video leaves the public pages at once, cached ones included.
                content_changed()
            return len(withdrawn)


class Consent(models.Model):
    """One consent as given: append-only. Withdrawing sets ``withdrawn_at``; giving it again
    writes a new record. The wording is the exact text the supporter saw."""

    class Purpose(models.TextChoices):
        SEND_IN_MY_NAME = "send_in_my_name", _("send this in my name")
        ORGANISER_UPDATES = "organiser_updates", _("keep me informed (organiser)")
        PARTNER_UPDATES = "partner_updates", _("keep me informed (named partner)")
        PUBLISH_NAME = "publish_name", _("publish my name")
        PUBLISH_FACE_VOICE = "publish_face_voice", _("publish my face and voice")

    supporter = models.ForeignKey(
        Supporter,
        verbose_name=_("supporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents",
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    # The partner a PARTNER_UPDATES consent is given to (PROTECT: a consent keeps its partner).
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
    )
    # No index: wordings are kept for ever, and nothing looks consents up by wording.
    wording = models.ForeignKey(
        ConsentWording,
        verbose_name=_("wording"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    language = models.CharField(_("language"), max_length=8)
    page = models.CharField(_("page"), max_length=300, blank=True)
    # The action the consent was given with ("app_label.model", pk): confirmed together.
    action_type = models.CharField(
        pgettext_lazy("what a supporter did on the site", "kind of action"),
        max_length=100,
        blank=True,
    )
    action_id = models.BigIntegerField(_("action number"), null=True, blank=True)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        pgettext_lazy("consent", "withdrawn"), null=True, blank=True
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        indexes = [
            models.Index(fields=["action_type", "action_id"]),
            # The organisers' list, newest first, reads one page, not millions sorted.
            models.Index(fields=["given_at"], name="supporters_consent_given"),
            # The few who agreed to be listed by name: the letter page's signatories are read
            # from here, not from a scan of every consent.
            models.Index(
                fields=["action_type", "action_id"],
                condition=models.Q(purpose="publish_name", withdrawn_at__isnull=True),
                name="supporters_consent_names",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"

    @classmethod
    def record(
        cls,
        supporter: Supporter,
        purpose: str,
        wording: str,
        language: str,
        page: str,
        *,
        partner: Partner | None = None,
        action: ConfirmableAction | None = None,
        confirmed: bool = False,
    ) -> Consent:
        """Write down a consent as the supporter gave it. It is confirmed together with
        ``action`` (or at once with ``confirmed=True`` when the address is already proven)."""
        consent = cls.given(
            supporter,
            purpose,
            wording,
            language,
            page,
            partner=partner,
            action=action,
            confirmed=confirmed,
        )
        consent.save(force_insert=True)
        return consent

    @classmethod
    def given(
        cls,
        supporter: Supporter,
        purpose: str,
        wording: str,
        language: str,
        page: str,
        *,
        partner: Partner | None = None,
        action: ConfirmableAction | None = None,
        confirmed: bool = False,
    ) -> Consent:
        """The consent ``record`` writes, unsaved."""
        if purpose not in _CONSENT_PURPOSES:
            raise ValueError(f"unknown consent purpose {purpose!r}")
        now = timezone.now()
        return cls(
            supporter=supporter,
            purpose=purpose,
            partner=partner,
            wording_id=ConsentWording.id_for_text(str(wording), language),
            language=language,
            page=page[:300],
            action_type=action._meta.label_lower if action is not None else "",
            action_id=action.pk if action is not None else None,
            given_at=now,
            confirmed_at=now if confirmed else None,
        )

    @property
    def covers_every_action(self) -> bool:
        """A consent to be kept informed is one for the person, however many forms it was
        ticked on; the others (to send a letter, publish a name or a video) are for the one
        action they were given with."""
        return self.purpose in PERSON_WIDE_PURPOSES

    def scope(self) -> tuple[Any, ...]:
        """What this consent is a consent to: the purpose and, for a person-wide one, its
        partner; else the action it was given with. Consents of a supporter with the same
        scope are one consent given several times: the privacy page shows them as one, and
        withdrawing one withdraws them all."""
        if self.covers_every_action:
            return (self.purpose, self.partner_id)
        if self.action_id is None:
            return (self.purpose, "consent", self.pk)
        return (self.purpose, self.action_type, self.action_id)

    def given_again(self) -> ConsentQuerySet:
        """This consent and every other of its supporter with the same ``scope()``."""
        same = Consent.objects.filter(pk=self.pk)
        if self.supporter_id is None:  # erased: withdrawn already, and nobody's any more
            return same
        if self.covers_every_action:
            return Consent.objects.filter(
                supporter_id=self.supporter_id, purpose=self.purpose, partner_id=self.partner_id
            )
        if self.action_id is None:
            return same
        return Consent.objects.filter(
            supporter_id=self.supporter_id,
            purpose=self.purpose,
            action_type=self.action_type,
            action_id=self.action_id,
        )

    def withdraw(self) -> bool:
        """Withdraw this consent, every standing one it repeats (``given_again()``: "keep me
        informed" ticked on three forms is one consent, withdrawn at once), and in the same
        transaction stop everything that rests on them (unsent letters, a published video…:
        see ``supporters.withdrawal``). False if none stood any more."""
        withdrawn = self.given_again().withdraw()
        if withdrawn and self.withdrawn_at is None:
            self.refresh_from_db(fields=["withdrawn_at"])
        return withdrawn > 0

    def given_with(self) -> ConfirmableAction | None:
        """The action this consent was given with, if it is still there."""
        if self.action_id is None:
            return None
        for model in action_models():
            if model._meta.label_lower == self.action_type:
                return model.objects.filter(pk=self.action_id).first()
        return None

    def withdrawal_effect(self) -> str:
        """What withdrawing this consent does, as the privacy page says it."""
        return withdrawal.effect(self.purpose, self.partner.name if self.partner else "")

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and self.confirmed_at is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose,
            "partner": self.partner.name if self.partner else "",
            "wording": self.wording.text,
            "wording_sha256": self.wording.sha256,
            "language": self.language,
            "page": self.page,
            "given_at": self.given_at.isoformat(),
            "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
            "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
        }


_CONSENT_PURPOSES = frozenset(Consent.Purpose.values)


class Subscription(ConfirmableAction):
    """ "Keep me informed": a supporter asks the organiser for news of the campaign.

    Whether news may be sent is decided by the ORGANISER_UPDATES consent; this row is the
    action of asking, confirmed like every other."""

    class Meta:
        verbose_name = pgettext_lazy("action", "keep-me-informed sign-up")
        verbose_name_plural = pgettext_lazy("action", "keep-me-informed sign-ups")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    def confirmation_subject(self) -> str:
        return str(_("Keep me informed about the campaign"))

    def personal_data(self) -> dict[str, Any]:
        return {}

    def erase_personal_data(self) -> None:
        # The row holds nothing personal besides the link to the supporter, cut by erase().
        pass


class PartnerContactQuerySet(models.QuerySet["PartnerContact"]):
    def standing(self) -> PartnerContactQuerySet:
        """Consents to hear from a partner that are confirmed and not withdrawn, of supporters
        not erased: whom a partner may write to."""
        return self.filter(
            purpose=Consent.Purpose.PARTNER_UPDATES,
            confirmed_at__isnull=False,
            withdrawn_at__isnull=True,
            supporter__isnull=False,
            partner__isnull=False,
        )

    def once_per_supporter(self) -> PartnerContactQuerySet:
        """The first of each supporter's consents here: a partner is given the name and the
        address, not every time the person ticked its box again (each tells when they acted)."""
        first = self.values("supporter").annotate(first=models.Min("pk")).values("first")
        return self.filter(pk__in=first)


class PartnerContact(Consent):
    """A supporter who agreed to hear from a partner, as the partner's staff see it in the
    admin (``supporters.partner_admin``): a view of ``Consent``, no table of its own."""

    objects = PartnerContactQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        permissions = [("export_partnercontact", _("Can export partner contacts"))]


# Consents whose withdrawal changes what public pages show.
PUBLIC_PURPOSES = {Consent.Purpose.PUBLISH_NAME, Consent.Purpose.PUBLISH_FACE_VOICE}
# Consents given for the person, not for one action (``Consent.covers_every_action``).
PERSON_WIDE_PURPOSES = {Consent.Purpose.ORGANISER_UPDATES, Consent.Purpose.PARTNER_UPDATES}


class DangerousCountryQuerySet(models.QuerySet["DangerousCountry"]):
    def codes(self) -> frozenset[str]:
        """The marked countries' codes, kept until an organiser edits anything (the content
        version) and for at most ``KEPT_SECONDS``: in the cache, for every process, and in
        this process too, since a form with a country asks more than once a request."""
        global _kept_codes
        key = f"supporters:dangerous-until:{content_version()}"
        kept = _kept_codes
        if kept is not None and kept[0] == key and time.time() < kept[2]:
            return kept[1]
        found = cache.get(key)
        if found is None:
            # With the moment it goes stale, so that no process keeps it longer than the cache.
            found = (frozenset(self.values_list("code", flat=True)), time.time() + KEPT_SECONDS)
            cache.set(key, found, KEPT_SECONDS)
        _kept_codes = (key, *found)
        return found[0]


# The codes ``DangerousCountryQuerySet.codes`` read last in this process: (its cache key, the
# codes, until when they may be used).
_kept_codes: tuple[str, frozenset[str], float] | None = None


def forget_dangerous_codes() -> None:
    """For tests, whose database changes go back without changing the content version."""
    global _kept_codes
    _kept_codes = None


class DangerousCountry(PublicContent):
    """A country where supporting the campaign openly puts a person in danger. A supporter who
    chooses it is warned before anything is stored, sends no letter in their own name, and is
    offered safer ways to help; mail to them has a neutral subject."""

    code = models.CharField(
        _("country"),
        max_length=2,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO country code such as BY."))
        ],
        help_text=_("Two-letter ISO code, e.g. BY."),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("For organisers; never shown on the site."),
    )

    objects = DangerousCountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("dangerous country")
        verbose_name_plural = _("dangerous countries")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @classmethod
    def is_dangerous(cls, country: str) -> bool:
        return country.strip().upper() in cls.objects.codes()


class AnonymousCount(models.Model):
    """How many people counted their support for one page's action without giving anything of
    themselves (those in a country marked as dangerous): a number per page and nothing else,
    no name, no address, no time, nothing of the client. ``key`` is the page's path without
    its language."""

    KEY_LENGTH = 200

    key = models.CharField(max_length=KEY_LENGTH, primary_key=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("anonymous count")
        verbose_name_plural = _("anonymous counts")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"

    @classmethod
    def add_one(cls, key: str) -> None:
        cls.objects.get_or_create(key=key)
        cls.objects.filter(key=key).update(count=models.F("count") + 1)

    @classmethod
    def count_for(cls, key: str) -> int:
        return cls.objects.filter(key=key).values_list("count", flat=True).first() or 0
