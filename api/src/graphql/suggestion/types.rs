//! The suggestion as the app sees it: a read of the domain aggregate, with relations through loaders.

use super::enums::{
    AnswerClass, CoSignStatus, ContactMethod, HandlingMode, HandlingRole, Satisfaction, SuggestionState,
};
use crate::graphql::account::Account;
use crate::graphql::directory::{Congress, Deputy, HandlingUnit, required};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{AccountKey, CongressKey, DeputyKey, HandlingUnitKey, TimelineKey};
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::suggestion::{self as dom, Sitting};
use std::borrow::Cow;

/// A deputy the suggestion refers to (the database guarantees it exists).
async fn deputy(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Deputy> {
    required(ctx.loader()?.load_one(DeputyKey(id)).await?, "deputy").map(Deputy)
}

/// A unit the suggestion refers to (the database guarantees it exists).
async fn unit(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<HandlingUnit> {
    required(ctx.loader()?.load_one(HandlingUnitKey(id)).await?, "unit").map(HandlingUnit)
}

/// A deputy's suggestion, criticism or opinion (代表建议) and everything that happened to it.
pub struct Suggestion(pub dom::Suggestion);

impl Suggestion {
    /// How much of it the viewer sees (`Hidden` never reaches here: the reads check it).
    fn sight(&self, ctx: &Context<'_>) -> dom::Sight {
        ctx.actor_opt().map_or(dom::Sight::Hidden, |actor| dom::sight(actor, &self.0))
    }

    /// The suggestion as the viewer may see it: all of it, or its public face (see `dom::public_face`).
    fn shown(&self, ctx: &Context<'_>) -> Cow<'_, dom::Suggestion> {
        match self.sight(ctx) {
            dom::Sight::Full => Cow::Borrowed(&self.0),
            dom::Sight::Public | dom::Sight::Hidden => Cow::Owned(dom::public_face(&self.0)),
        }
    }
}

/// A suggestion with its full lifecycle.
#[Object]
impl Suggestion {
    /// The photos and PDFs attached to it, in order (its lead deputy attaches them while it is a draft).
    async fn attachments(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::graphql::attachment::Attachment>> {
        crate::graphql::attachment::of(ctx, edaibiao_domain::attachment::OwnerKind::Suggestion, self.0.id)
            .await
    }
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Suggestion, self.0.id)
    }
    /// Serial number, given at the first submission (e.g. 第2次会议第0123号).
    async fn serial_number(&self) -> Option<&str> {
        self.0.serial.as_deref()
    }
    /// Whether the viewer follows it (`followSuggestion`): only citizens do; false for everyone else.
    async fn viewer_follows(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let Some(actor) = ctx.actor_opt().filter(|a| a.role == edaibiao_domain::account::Role::Citizen)
        else {
            return Ok(false);
        };
        let store = &ctx.services()?.store;
        let followed =
            edaibiao_infra::suggestions::follow::followed_among(store, actor.user_id, &[self.0.id]).await?;
        Ok(followed.contains(&self.0.id))
    }
    /// Title, 1–100 characters.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Full text.
    async fn content(&self) -> &str {
        &self.0.content
    }
    /// Category (e.g. 交通, 教育).
    async fn category(&self) -> &str {
        &self.0.category
    }
    /// Where it is in its life.
    async fn state(&self) -> SuggestionState {
        self.0.state.into()
    }
    /// The plenary session it was raised at, if not in the recess.
    async fn session_number(&self) -> Option<u32> {
        match self.0.sitting {
            Sitting::Session { number } => Some(number),
            Sitting::Recess { .. } => None,
        }
    }
    /// The recess year it was raised in (闭会期间), if not at a session.
    async fn recess_year(&self) -> Option<i32> {
        match self.0.sitting {
            Sitting::Recess { year } => Some(year),
            Sitting::Session { .. } => None,
        }
    }
    /// The congress it belongs to.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Congress> {
        required(ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?, "congress").map(Congress)
    }
    /// The deputy who wrote it (领衔代表).
    async fn lead_deputy(&self, ctx: &Context<'_>) -> ApiResult<Deputy> {
        deputy(ctx, self.0.lead_deputy_id).await
    }
    /// Invited and confirmed co-signers (联名代表); only confirmed ones count.
    async fn co_signers(&self) -> Vec<CoSigner> {
        self.0.co_signers.iter().map(|c| CoSigner::new(self.0.id, c.clone())).collect()
    }
    /// Why staff last sent it back for revision (预研把关).
    async fn revision_reason(&self, ctx: &Context<'_>) -> Option<String> {
        self.shown(ctx).revision_reason.clone()
    }
    /// How the work is split between units, once assigned.
    async fn handling_mode(&self) -> Option<HandlingMode> {
        self.0.assignment.as_ref().map(|a| a.mode.into())
    }
    /// The assigned units and their parts, lead first.
    async fn units(&self, ctx: &Context<'_>) -> Vec<HandlingPart> {
        self.shown(ctx).assignment.as_ref().map_or_else(Vec::new, |a| {
            a.units.iter().map(|p| HandlingPart::new(self.0.id, p.clone())).collect()
        })
    }
    /// When it was (last) assigned.
    async fn assigned_at(&self) -> Option<DateTime<Utc>> {
        self.0.assignment.as_ref().map(|a| a.assigned_at)
    }
    /// When the answer is due (办理期限).
    async fn due_at(&self) -> Option<DateTime<Utc>> {
        self.0.assignment.as_ref().map(|a| a.due_at)
    }
    /// Whether the deadline passed while an answer is still owed.
    async fn is_overdue(&self) -> bool {
        self.0.is_overdue(Utc::now())
    }
    /// Whole days until the deadline (negative when overdue), while an answer is owed.
    async fn days_left(&self) -> Option<i64> {
        let owed = matches!(self.0.state, dom::SuggestionState::Assigned | dom::SuggestionState::Handled);
        self.0.assignment.as_ref().filter(|_| owed).map(|a| (a.due_at - Utc::now()).num_days())
    }
    /// Contacts the units had with the deputy (not shown to deputies with no part in it).
    async fn contacts(&self, ctx: &Context<'_>) -> Vec<Contact> {
        self.shown(ctx)
            .assignment
            .as_ref()
            .map_or_else(Vec::new, |a| a.contacts.iter().map(|c| Contact(c.clone())).collect())
    }
    /// A unit's request to be relieved (改办), waiting for staff.
    async fn pending_reassignment(&self, ctx: &Context<'_>) -> Option<PendingRequest> {
        let shown = self.shown(ctx);
        let r = shown.assignment.as_ref()?.reassignment.as_ref()?;
        Some(PendingRequest {
            unit_id: r.unit_id,
            reason: r.reason.clone(),
            requested_at: r.at,
            due_at: None,
        })
    }
    /// A request for more time (延期), waiting for staff.
    async fn pending_extension(&self, ctx: &Context<'_>) -> Option<PendingRequest> {
        let shown = self.shown(ctx);
        let r = shown.assignment.as_ref()?.extension.as_ref()?;
        Some(PendingRequest {
            unit_id: r.unit_id,
            reason: r.reason.clone(),
            requested_at: r.at,
            due_at: Some(r.due_at),
        })
    }
    /// Key supervision (重点督办), if any.
    async fn supervision(&self, ctx: &Context<'_>) -> Option<Supervision> {
        self.shown(ctx).supervision.clone().map(Supervision)
    }
    /// Whether staff marked it a key supervised suggestion.
    async fn key_supervised(&self, ctx: &Context<'_>) -> bool {
        self.shown(ctx).supervision.is_some()
    }
    /// Rated dissatisfied again after re-handling: staff must look at it.
    async fn flagged_for_staff(&self, ctx: &Context<'_>) -> bool {
        self.shown(ctx).flagged
    }
    /// The suggestion this one was merged into (并案); it is handled with that one.
    async fn merged_into_id(&self) -> Option<ID> {
        self.0.merged_into.map(|id| ids::encode(NodeKind::Suggestion, id))
    }
    /// Suggestions merged into this one; they follow its handling.
    async fn merged_suggestion_ids(&self) -> Vec<ID> {
        self.0.merged.iter().map(|id| ids::encode(NodeKind::Suggestion, *id)).collect()
    }
    /// The citizen's opinion it was turned from (社情民意转建议), if the viewer may see it.
    async fn source_opinion(&self, ctx: &Context<'_>) -> ApiResult<Option<crate::graphql::opinion::Opinion>> {
        crate::graphql::opinion::source_of(ctx, self.0.id).await
    }
    /// The bill it was converted from (议案作为建议处理), if the viewer may see it.
    async fn from_bill(&self, ctx: &Context<'_>) -> ApiResult<Option<crate::graphql::bill::Bill>> {
        crate::graphql::bill::from_suggestion(ctx, self.0.id).await
    }
    /// Every step, oldest first (without the notes for deputies with no part in it).
    async fn timeline(&self, ctx: &Context<'_>) -> ApiResult<Vec<TimelineEvent>> {
        let entries = ctx.loader()?.load_one(TimelineKey(self.0.id)).await?.unwrap_or_default();
        let sight = self.sight(ctx);
        Ok(entries.into_iter().map(|e| TimelineEvent::seen(e, sight)).collect())
    }
    /// Increases with every change; two reads with the same version show the same suggestion.
    async fn version(&self) -> u32 {
        self.0.version
    }
    /// When the draft was started.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// An invited co-signer, with the suggestion it belongs to.
pub struct CoSigner {
    suggestion_id: uuid::Uuid,
    co_signer: dom::CoSigner,
}

impl CoSigner {
    pub fn new(suggestion_id: uuid::Uuid, co_signer: dom::CoSigner) -> Self {
        Self { suggestion_id, co_signer }
    }
}

/// A deputy invited to co-sign, and their answer.
#[Object]
impl CoSigner {
    /// Global ID: the suggestion and the deputy (one invitation per deputy and suggestion).
    pub async fn id(&self) -> ID {
        let key = ids::PartKey { owner: self.suggestion_id, member: self.co_signer.deputy_id, at: None };
        ids::encode_part(NodeKind::CoSigner, key)
    }
    /// The invited deputy.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Deputy> {
        deputy(ctx, self.co_signer.deputy_id).await
    }
    /// Their answer so far.
    async fn status(&self) -> CoSignStatus {
        self.co_signer.status.into()
    }
}

/// One unit's part of the handling (as the viewer may see it), with the suggestion it belongs to.
pub struct HandlingPart {
    suggestion_id: uuid::Uuid,
    part: dom::UnitPart,
}

impl HandlingPart {
    pub fn new(suggestion_id: uuid::Uuid, part: dom::UnitPart) -> Self {
        Self { suggestion_id, part }
    }

    fn answer_of(&self, answer: &dom::Answer) -> Answer {
        Answer::new(self.suggestion_id, self.part.unit_id, answer.clone())
    }
}

/// One unit's part: acceptance, opinion or answer, rating, re-handling and follow-up.
#[Object]
impl HandlingPart {
    /// The answer letters (答复函) and other files a lead unit attached while its answer was due, in order.
    async fn attachments(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::graphql::attachment::Attachment>> {
        crate::graphql::attachment::of(
            ctx,
            edaibiao_domain::attachment::OwnerKind::Answer,
            edaibiao_infra::files::owners::answer_key(self.suggestion_id, self.part.unit_id),
        )
        .await
    }
    /// Global ID: the suggestion and the unit (a unit has one part per suggestion).
    pub async fn id(&self) -> ID {
        let key = ids::PartKey { owner: self.suggestion_id, member: self.part.unit_id, at: None };
        ids::encode_part(NodeKind::HandlingPart, key)
    }
    /// The unit.
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<HandlingUnit> {
        unit(ctx, self.part.unit_id).await
    }
    /// LEAD answers; CO gives an opinion.
    async fn role(&self) -> HandlingRole {
        self.part.role.into()
    }
    /// Whether the unit accepted the work.
    async fn accepted(&self) -> bool {
        self.part.accepted
    }
    /// A co-unit's opinion for the lead unit.
    async fn co_opinion(&self) -> Option<CoOpinion> {
        self.part.co_opinion.as_ref().map(|o| CoOpinion {
            text: o.text.clone(),
            given_at: o.at,
            late: o.late,
        })
    }
    /// The current answer.
    async fn answer(&self) -> Option<Answer> {
        self.part.answer.as_ref().map(|a| self.answer_of(a))
    }
    /// The lead deputy's rating of the current answer.
    async fn rating(&self) -> Option<Rating> {
        self.part.rating.clone().map(Rating)
    }
    /// Co-signers' own ratings, kept for statistics.
    async fn co_signer_ratings(&self) -> Vec<Rating> {
        self.part.co_signer_ratings.iter().cloned().map(Rating).collect()
    }
    /// How often a dissatisfied rating re-opened this part (重新办理).
    async fn rehandle_count(&self) -> u32 {
        self.part.rehandles
    }
    /// Answers given before each re-opening, oldest first.
    async fn earlier_answers(&self) -> Vec<Answer> {
        self.part.history.iter().map(|(a, _)| self.answer_of(a)).collect()
    }
    /// Progress reports on a B-class promise.
    async fn implementation(&self) -> Vec<ImplementationNote> {
        self.part
            .implementation
            .iter()
            .map(|n| ImplementationNote { note: n.note.clone(), done: n.done, reported_at: n.at })
            .collect()
    }
    /// The deputy's rating of the implemented result (结果满意度).
    async fn result_rating(&self) -> Option<Satisfaction> {
        self.part.result_rating.map(Into::into)
    }
}

/// A unit's formal answer (答复), with the suggestion and unit it belongs to.
pub struct Answer {
    suggestion_id: uuid::Uuid,
    unit_id: uuid::Uuid,
    answer: dom::Answer,
}

impl Answer {
    pub fn new(suggestion_id: uuid::Uuid, unit_id: uuid::Uuid, answer: dom::Answer) -> Self {
        Self { suggestion_id, unit_id, answer }
    }

    /// The key of an answer: its suggestion, its unit and when it was given (a unit gives at most one
    /// answer at a time; each re-handling adds a later one).
    pub fn key(suggestion_id: uuid::Uuid, unit_id: uuid::Uuid, answer: &dom::Answer) -> ids::PartKey {
        ids::PartKey { owner: suggestion_id, member: unit_id, at: Some(answer.at.timestamp_micros()) }
    }
}

/// A unit's formal answer.
#[Object]
impl Answer {
    /// Global ID: the suggestion, the unit and when the answer was given.
    pub async fn id(&self) -> ID {
        ids::encode_part(NodeKind::Answer, Self::key(self.suggestion_id, self.unit_id, &self.answer))
    }
    /// The answer text.
    async fn content(&self) -> &str {
        &self.answer.content
    }
    /// A/B/C/D class.
    async fn answer_class(&self) -> AnswerClass {
        self.answer.class.into()
    }
    /// The promised completion date of a B-class answer.
    async fn promised_by(&self) -> Option<NaiveDate> {
        self.answer.promised_by
    }
    /// Reasons of a C- or D-class answer.
    async fn reasons(&self) -> Option<&str> {
        self.answer.reasons.as_deref()
    }
    /// The official who signed it.
    async fn signed_by(&self) -> &str {
        &self.answer.signed_by
    }
    /// Whether it may be made public.
    async fn public(&self) -> bool {
        self.answer.public
    }
    /// When it was given.
    async fn answered_at(&self) -> DateTime<Utc> {
        self.answer.at
    }
}

/// A deputy's rating of an answer.
pub struct Rating(dom::Rating);

/// A deputy's rating of one answer (满意度测评).
#[Object]
impl Rating {
    /// Who rated.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Deputy> {
        deputy(ctx, self.0.deputy_id).await
    }
    /// The unit's attitude (办理态度).
    async fn attitude(&self) -> Satisfaction {
        self.0.attitude.into()
    }
    /// The result (办理结果).
    async fn result(&self) -> Satisfaction {
        self.0.result.into()
    }
    /// Why, required when dissatisfied.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// When.
    async fn rated_at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// A co-unit's opinion for the lead unit.
#[derive(SimpleObject)]
pub struct CoOpinion {
    /// The opinion.
    pub text: String,
    /// When it was (last) given.
    pub given_at: DateTime<Utc>,
    /// Given after the one-month due date.
    pub late: bool,
}

/// A progress report on a B-class promise.
#[derive(SimpleObject)]
pub struct ImplementationNote {
    /// What was done.
    pub note: String,
    /// Whether the promise is now fulfilled.
    pub done: bool,
    /// When reported.
    pub reported_at: DateTime<Utc>,
}

/// A contact between a unit and the deputy.
pub struct Contact(dom::Contact);

/// How and when a unit talked with the deputy.
#[Object]
impl Contact {
    /// The unit that made contact.
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<HandlingUnit> {
        unit(ctx, self.0.unit_id).await
    }
    /// Phone, visit, meeting.
    async fn method(&self) -> ContactMethod {
        self.0.method.into()
    }
    /// When they talked.
    async fn contacted_at(&self) -> DateTime<Utc> {
        self.0.contacted_at
    }
    /// What was said.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
}

/// A unit's request waiting for staff.
pub struct PendingRequest {
    unit_id: uuid::Uuid,
    reason: String,
    requested_at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
}

/// A unit's request (reassignment or extension) waiting for staff.
#[Object]
impl PendingRequest {
    /// The asking unit.
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<HandlingUnit> {
        unit(ctx, self.unit_id).await
    }
    /// Why.
    async fn reason(&self) -> &str {
        &self.reason
    }
    /// When asked.
    async fn requested_at(&self) -> DateTime<Utc> {
        self.requested_at
    }
    /// The deadline asked for (extensions only).
    async fn due_at(&self) -> Option<DateTime<Utc>> {
        self.due_at
    }
}

/// Key supervision.
pub struct Supervision(dom::Supervision);

/// Key supervision (重点督办): who follows it, and their notes.
#[Object]
impl Supervision {
    /// The supervising leader or committee.
    async fn supervisor(&self) -> &str {
        &self.0.supervisor
    }
    /// Since when.
    async fn since(&self) -> DateTime<Utc> {
        self.0.since
    }
    /// Supervision notes, oldest first.
    async fn notes(&self) -> Vec<SupervisionNote> {
        self.0.notes.iter().map(|n| SupervisionNote { note: n.note.clone(), noted_at: n.at }).collect()
    }
}

/// A supervision note.
#[derive(SimpleObject)]
pub struct SupervisionNote {
    /// The note.
    pub note: String,
    /// When.
    pub noted_at: DateTime<Utc>,
}

/// One step on the timeline.
pub struct TimelineEvent(pub edaibiao_infra::suggestions::SuggestionEvent);

impl TimelineEvent {
    /// The step as a viewer with `sight` of its suggestion sees it: the note (a reason, a contact's
    /// summary, a co-unit's opinion, a rating's comment) only with full sight.
    pub fn seen(mut event: edaibiao_infra::suggestions::SuggestionEvent, sight: dom::Sight) -> Self {
        if sight != dom::Sight::Full {
            event.note = None;
        }
        Self(event)
    }
}

/// One step of a suggestion's life: who did what, when, from which state to which.
#[Object]
impl TimelineEvent {
    /// Global ID; pass the last one you have to `suggestionEvents(after:)` to resume.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::TimelineEvent, self.0.id)
    }
    /// Position on the timeline: 1 for the first step, then 2, 3… without gaps.
    async fn seq(&self) -> i32 {
        self.0.seq
    }
    /// What happened.
    async fn kind(&self) -> crate::graphql::kinds::TimelineEventKind {
        crate::graphql::kinds::TimelineEventKind::from_stored(&self.0.kind)
    }
    /// Who did it (null for the system).
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<Account>> {
        let Some(id) = self.0.actor_account_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(AccountKey(id)).await?.map(Account::new))
    }
    /// The actor's role at the time.
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }
    /// State before the step.
    async fn from_state(&self) -> Option<SuggestionState> {
        self.0.from_state.map(Into::into)
    }
    /// State after the step.
    async fn to_state(&self) -> Option<SuggestionState> {
        self.0.to_state.map(Into::into)
    }
    /// The note or reason given, if any.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}
