"""The built-in chat's inbox: conversations, their lines and context, replies, close/reopen.

Any staff member the Dashboard lets open the app may read and answer (`STAFF_MUTATIONS`); only
settings and triggers need MANAGE_APPS. Each reply keeps the staff email of its token.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from ...chat import context as chat_context
from ...chat import offline, presence, service
from ...chat.mail import SmtpConfig
from ...chat.runtime import get_chat
from ...chat.validation import ChatInputError, clean_email
from ...chat.waiting import wait_for_inbox
from ...http import app_settings
from ...store.db import get_database
from ...store.mail_server import MailServerUnreadable, mail_server
from ...store.models import ChatConversation as ConversationRow
from ...store.models import ChatMessage as MessageRow
from ...store.models import utcnow
from ...store.models.chat import AGENT, CLOSED, OPEN
from .common import FieldError, InputProblem, MoneyAmount, context_of, field_error
from .context import ApiContext

# Mutations any staff member may call (graphql_view lets them through without MANAGE_APPS).
STAFF_MUTATIONS = frozenset({"chatReply", "chatClose", "chatReopen", "chatMarkRead"})
MAX_LINES = 500


@strawberry.type
class ChatMessage:
    id: int
    author: str = strawberry.field(description="visitor, agent (a staff member) or shop.")
    author_email: str | None
    body: str
    created_at: datetime

    @classmethod
    def of(cls, row: MessageRow) -> ChatMessage:
        return cls(
            id=row.id,
            author=row.author,
            author_email=row.author_email,
            body=row.body,
            created_at=row.created_at,
        )


@strawberry.type
class ChatProduct:
    id: strawberry.ID
    name: str | None


@strawberry.type
class ChatCartLine:
    product_id: strawberry.ID | None
    product_name: str | None
    quantity: int
    total: MoneyAmount


@strawberry.type
class ChatCart:
    checkout_id: strawberry.ID
    email: str | None = strawberry.field(description="The checkout's email, once given.")
    value: MoneyAmount
    lines: list[ChatCartLine]
    remaining_to_free_shipping: MoneyAmount | None


@strawberry.type(description="Where the visitor came from, from the app's own data.")
class ChatContext:
    trigger_id: strawberry.ID | None
    trigger_name: str | None
    opening_message: str | None
    channel: str
    locale: str | None
    device: str | None
    country: str | None
    page_url: str | None
    products_viewed: list[ChatProduct]
    cart: ChatCart | None

    @classmethod
    def of(cls, found: chat_context.ConversationContext) -> ChatContext:
        cart = None
        if found.cart is not None:
            currency = found.cart.currency
            remaining = found.cart.remaining_to_free_shipping
            cart = ChatCart(
                checkout_id=strawberry.ID(found.cart.checkout_id),
                email=found.cart.email,
                value=MoneyAmount(amount=float(found.cart.value), currency=currency),
                lines=[
                    ChatCartLine(
                        product_id=strawberry.ID(line.product_id) if line.product_id else None,
                        product_name=line.product_name,
                        quantity=line.quantity,
                        total=MoneyAmount(amount=float(line.total), currency=currency),
                    )
                    for line in found.cart.lines
                ],
                remaining_to_free_shipping=(
                    MoneyAmount(amount=float(remaining), currency=currency)
                    if remaining is not None
                    else None
                ),
            )
        return cls(
            trigger_id=strawberry.ID(found.trigger_id) if found.trigger_id else None,
            trigger_name=found.trigger_name,
            opening_message=found.opening_message,
            channel=found.channel,
            locale=found.locale,
            device=found.device,
            country=found.country,
            page_url=found.page_url,
            products_viewed=[
                ChatProduct(id=strawberry.ID(p.product_id), name=p.name)
                for p in found.products_viewed
            ],
            cart=cart,
        )


@strawberry.type
class ChatConversation:
    id: strawberry.ID
    status: str = strawberry.field(description="open or closed.")
    channel: str
    locale: str | None
    visitor_email: str | None
    created_at: datetime
    last_message_at: datetime
    unread: int = strawberry.field(description="The visitor's lines no staff member has read.")
    last_message: str | None
    row: strawberry.Private[ConversationRow]

    @strawberry.field(description="Lines after the message id `after`, oldest first.")
    def messages(
        self, info: strawberry.Info[ApiContext, None], after: int = 0
    ) -> list[ChatMessage]:
        rows = service.messages_after(context_of(info).session, self.row, after, MAX_LINES)
        return [ChatMessage.of(row) for row in rows]

    @strawberry.field
    def context(self, info: strawberry.Info[ApiContext, None]) -> ChatContext:
        return ChatContext.of(chat_context.conversation_context(context_of(info).session, self.row))

    @classmethod
    def of(cls, row: ConversationRow, unread: int, last_message: str | None) -> ChatConversation:
        return cls(
            id=strawberry.ID(row.public_id),
            status=row.status,
            channel=row.channel,
            locale=row.locale,
            visitor_email=row.visitor_email,
            created_at=row.created_at,
            last_message_at=row.last_message_at,
            unread=unread,
            last_message=last_message,
            row=row,
        )


@strawberry.type
class ChatReplyResult:
    message: ChatMessage | None
    errors: list[FieldError]


@strawberry.type
class ChatConversationResult:
    conversation: ChatConversation | None
    errors: list[FieldError]


def _find(ctx: ApiContext, conversation_id: str) -> ConversationRow | None:
    return service.find_conversation(ctx.session, ctx.installation_id, conversation_id)


def _one(ctx: ApiContext, row: ConversationRow) -> ChatConversation:
    unread = service.unread_count(ctx.session, row, AGENT)
    return ChatConversation.of(row, unread, service.last_body(ctx.session, row))


def _not_found() -> FieldError:
    return field_error("conversationId", "No conversation with this id in this store.", "not_found")


@strawberry.type
class ChatQuery:
    @strawberry.field(description="Open conversations first, then by latest line (at most 100).")
    def chat_conversations(
        self, info: strawberry.Info[ApiContext, None], status: str | None = None
    ) -> list[ChatConversation]:
        if status not in (None, OPEN, CLOSED):
            raise InputProblem("`status` must be open or closed.")
        ctx = context_of(info)
        entries = service.inbox(ctx.session, ctx.installation_id)
        return [
            ChatConversation.of(e.conversation, e.unread, e.last_body)
            for e in entries
            if status is None or e.conversation.status == status
        ]

    @strawberry.field
    def chat_conversation(
        self, info: strawberry.Info[ApiContext, None], id: strawberry.ID
    ) -> ChatConversation | None:
        ctx = context_of(info)
        row = _find(ctx, str(id))
        return _one(ctx, row) if row is not None else None

    @strawberry.field(
        description="Waits (at most `seconds`, up to 25) until this shop has a line newer than "
        "`after` and returns the newest line's id; also marks the caller online for visitors."
    )
    def chat_wait(
        self, info: strawberry.Info[ApiContext, None], after: int, seconds: float = 25
    ) -> int:
        ctx = context_of(info)
        if after < 0 or seconds < 0:
            raise InputProblem("`after` and `seconds` must be 0 or more.")
        email = ctx.merchant.user_email or "staff"
        presence.seen(ctx.session, ctx.installation_id, email, utcnow())
        ctx.session.commit()  # gives the connection back to the pool for the wait
        return wait_for_inbox(get_database(), get_chat(), ctx.installation_id, after, seconds)

    @strawberry.field(
        description="The visitors' lines no staff member has read, all conversations."
    )
    def chat_unread(self, info: strawberry.Info[ApiContext, None]) -> int:
        ctx = context_of(info)
        return service.total_unread(ctx.session, ctx.installation_id)


@strawberry.type
class ChatMutation:
    @strawberry.mutation(description="Answer the visitor as the staff member of the token.")
    def chat_reply(
        self, info: strawberry.Info[ApiContext, None], conversation_id: strawberry.ID, body: str
    ) -> ChatReplyResult:
        ctx = context_of(info)
        row = _find(ctx, str(conversation_id))
        if row is None:
            return ChatReplyResult(message=None, errors=[_not_found()])
        chat, now = get_chat(), utcnow()
        try:  # before the reply is stored: refused, it is not there twice when sent again
            server = _mail_server(ctx) if service.replies_by_email(row, now) else None
        except MailServerUnreadable as unreadable:
            problem = field_error("mailServer", str(unreadable), "mail_server_unreadable")
            return ChatReplyResult(message=None, errors=[problem])
        try:
            message = service.post_message(
                ctx.session, chat.fanout, row, AGENT, body, now, ctx.merchant.user_email
            )
        except ChatInputError as error:
            return ChatReplyResult(
                message=None, errors=[field_error(error.field, error.message, error.code)]
            )
        urls = (ctx.merchant.saleor_api_url, ctx.base_url)
        offline.mail_reply_if_away(ctx.session, chat, server, row, message, urls, now)
        return ChatReplyResult(message=ChatMessage.of(message), errors=[])

    @strawberry.mutation
    def chat_close(
        self, info: strawberry.Info[ApiContext, None], conversation_id: strawberry.ID
    ) -> ChatConversationResult:
        return _set_status(context_of(info), str(conversation_id), CLOSED)

    @strawberry.mutation
    def chat_reopen(
        self, info: strawberry.Info[ApiContext, None], conversation_id: strawberry.ID
    ) -> ChatConversationResult:
        return _set_status(context_of(info), str(conversation_id), OPEN)

    @strawberry.mutation(description="The staff have read the visitor's lines up to `upTo`.")
    def chat_mark_read(
        self, info: strawberry.Info[ApiContext, None], conversation_id: strawberry.ID, up_to: int
    ) -> ChatConversationResult:
        ctx = context_of(info)
        row = _find(ctx, str(conversation_id))
        if row is None:
            return ChatConversationResult(conversation=None, errors=[_not_found()])
        service.mark_read(row, AGENT, up_to)
        ctx.session.flush()
        return ChatConversationResult(conversation=_one(ctx, row), errors=[])


@strawberry.type
class ChatErasureResult:
    deleted_conversations: int
    errors: list[FieldError]


@strawberry.type
class ChatSettingsMutation:
    """Needs MANAGE_APPS, as settings do (not in `STAFF_MUTATIONS`)."""

    @strawberry.mutation(
        description="Delete every conversation that left this email (a data subject's erasure)."
    )
    def chat_erase_by_email(
        self, info: strawberry.Info[ApiContext, None], email: str
    ) -> ChatErasureResult:
        ctx = context_of(info)
        try:
            address = clean_email(email)
        except ChatInputError as error:
            return ChatErasureResult(
                deleted_conversations=0,
                errors=[field_error(error.field, error.message, error.code)],
            )
        deleted = service.erase_by_email(ctx.session, ctx.installation_id, address)
        return ChatErasureResult(deleted_conversations=deleted, errors=[])


def _mail_server(ctx: ApiContext) -> SmtpConfig | None:
    return mail_server(ctx.installation(), app_settings())


def _set_status(ctx: ApiContext, conversation_id: str, status: str) -> ChatConversationResult:
    row = _find(ctx, conversation_id)
    if row is None:
        return ChatConversationResult(conversation=None, errors=[_not_found()])
    service.set_status(ctx.session, get_chat().fanout, row, status)
    ctx.session.flush()
    return ChatConversationResult(conversation=_one(ctx, row), errors=[])
