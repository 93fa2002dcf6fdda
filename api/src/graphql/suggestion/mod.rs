//! Suggestions over GraphQL: the list and detail a deputy, unit or staff member sees, and one mutation per
//! row of the lifecycle table. Every mutation takes an optional `idempotencyKey`: a retry with the same key
//! returns the first result and does not act twice.

mod enums;
pub mod types;

pub use types::TimelineEvent;
pub use types::{Answer, CoSigner, HandlingPart, Suggestion};

use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::suggestion::{self as dom, Command, DraftText};
use edaibiao_domain::text::{Label, Note, SearchText, Statement};
use edaibiao_infra::suggestions::{self, Idempotency, SuggestionFilter as StoreFilter};
pub use enums::{AnswerClass, CoSignStatus, Satisfaction};
use enums::{ContactMethod, HandlingMode, HandlingRole, SuggestionState};

/// Which suggestions to list; all given filters must match, within what the viewer may see.
#[derive(InputObject, Default)]
pub struct SuggestionFilter {
    /// Any of these states.
    #[graphql(default)]
    pub states: Vec<SuggestionState>,
    /// Of this congress.
    pub congress_id: Option<ID>,
    /// Raised at this plenary session.
    pub session_number: Option<i32>,
    /// Raised in this recess year.
    pub recess_year: Option<i32>,
    /// Of this category.
    pub category: Option<String>,
    /// Led by this unit (LEAD_WITH_CO mode).
    pub lead_unit_id: Option<ID>,
    /// Overdue (true) or not (false).
    pub overdue: Option<bool>,
    /// Key supervised (true) or not (false).
    pub key_supervised: Option<bool>,
    /// Words in the title or content.
    pub text: Option<String>,
    /// Only the viewer's own: a deputy's led or co-signed, a unit's assigned.
    #[graphql(default)]
    pub mine: bool,
}

impl SuggestionFilter {
    fn to_store(&self) -> ApiResult<StoreFilter> {
        let sitting_key = match (self.session_number, self.recess_year) {
            (None, None) => None,
            (n, y) => Some(dom::Sitting::parse(n, y)?.key()),
        };
        Ok(StoreFilter {
            states: self.states.iter().map(|s| (*s).into()).collect(),
            congress_id: ids::decode_opt(NodeKind::Congress, "congressId", self.congress_id.as_ref())?,
            sitting_key,
            category: SearchText::parse("category", self.category.as_deref())?.map(SearchText::into_string),
            lead_unit_id: ids::decode_opt(NodeKind::HandlingUnit, "leadUnitId", self.lead_unit_id.as_ref())?,
            overdue: self.overdue,
            key_supervised: self.key_supervised,
            text: SearchText::parse("text", self.text.as_deref())?,
            mine: self.mine,
        })
    }
}

/// A new draft.
#[derive(InputObject)]
pub struct NewSuggestionInput {
    /// 1–100 characters.
    pub title: String,
    /// 1–20,000 characters.
    pub content: String,
    /// 1–30 characters, e.g. 交通.
    pub category: String,
    /// The plenary session it is raised at; leave out for the recess.
    pub session_number: Option<i32>,
    /// The recess year (闭会期间), when not raised at a session.
    pub recess_year: Option<i32>,
}

/// A draft's text.
#[derive(InputObject)]
pub struct DraftInput {
    /// 1–100 characters.
    pub title: String,
    /// 1–20,000 characters.
    pub content: String,
    /// 1–30 characters.
    pub category: String,
}

/// A unit in an assignment.
#[derive(InputObject)]
pub struct UnitAssignmentInput {
    /// The handling unit.
    pub unit_id: ID,
    /// LEAD answers; CO gives an opinion. In PARALLEL mode every unit is LEAD.
    pub role: HandlingRole,
}

/// Who handles a suggestion, and by when.
#[derive(InputObject)]
pub struct AssignmentInput {
    /// LEAD_WITH_CO (one lead, any co-units) or PARALLEL (two or more leads).
    pub mode: HandlingMode,
    /// Distinct units of the suggestion's congress.
    pub units: Vec<UnitAssignmentInput>,
    /// Deadline; three months after assignment when left out; never in the past.
    pub due_at: Option<DateTime<Utc>>,
}

/// A contact with the deputy.
#[derive(InputObject)]
pub struct ContactInput {
    /// Phone, visit, meeting.
    pub method: ContactMethod,
    /// When, between assignment and now.
    pub contacted_at: DateTime<Utc>,
    /// What was said, 1–2,000 characters.
    pub summary: String,
}

/// A unit's formal answer.
#[derive(InputObject)]
pub struct AnswerInput {
    /// The answer text, 1–20,000 characters.
    pub content: String,
    /// A/B/C/D class.
    pub answer_class: AnswerClass,
    /// Required for IN_PROGRESS (B): the promised completion date.
    pub promised_by: Option<NaiveDate>,
    /// Required for DEFERRED and FOR_REFERENCE (C/D).
    pub reasons: Option<String>,
    /// The signing official.
    pub signed_by: String,
    /// Whether the answer may be made public.
    #[graphql(default)]
    pub public: bool,
}

/// A deputy's rating of one answer.
#[derive(InputObject)]
pub struct RatingInput {
    /// The answering unit; may be left out when only one unit answers.
    pub unit_id: Option<ID>,
    /// The unit's attitude (办理态度).
    pub attitude: Satisfaction,
    /// The result (办理结果).
    pub result: Satisfaction,
    /// Required when either is DISSATISFIED.
    pub comment: Option<String>,
}

fn suggestion_id(id: &ID) -> ApiResult<uuid::Uuid> {
    ids::decode(NodeKind::Suggestion, "id", id)
}

fn unit_id(id: &ID, field: &'static str) -> ApiResult<uuid::Uuid> {
    ids::decode(NodeKind::HandlingUnit, field, id)
}

/// Runs one lifecycle command as the viewer.
async fn act(
    ctx: &Context<'_>,
    id: &ID,
    operation: &'static str,
    key: Option<&str>,
    command: Command,
) -> ApiResult<Suggestion> {
    let actor = ctx.actor()?;
    let services = ctx.services()?;
    let idempotency = key.map(|key| Idempotency { key, operation });
    let done = suggestions::act(
        &services.store,
        actor,
        suggestion_id(id)?,
        command,
        idempotency,
        &services.suggestion_policy,
    )
    .await?;
    Ok(Suggestion(done))
}

async fn assignment(
    ctx: &Context<'_>,
    input: &AssignmentInput,
) -> ApiResult<(dom::HandlingMode, Vec<dom::UnitChoice>)> {
    let units = input
        .units
        .iter()
        .map(|u| Ok((unit_id(&u.unit_id, "units")?, dom::HandlingRole::from(u.role))))
        .collect::<ApiResult<Vec<_>>>()?;
    let choices = suggestions::unit_choices(&ctx.services()?.store, &units).await?;
    Ok((input.mode.into(), choices))
}

#[derive(Default)]
pub struct SuggestionQuery;

#[Object]
impl SuggestionQuery {
    /// Suggestions the viewer may see, newest first: a deputy's own (and those with public answers), a
    /// unit's assigned, staff's congress. Citizens see none.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn suggestions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those matching every given filter.")] filter: Option<SuggestionFilter>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<Suggestion>> {
        let actor = ctx.actor()?;
        let request = page_request(first, after)?;
        let filter = filter.unwrap_or_default().to_store()?;
        if filter.overdue.is_some() {
            // "Overdue" is a comparison with the clock: no stored change moves it.
            crate::graphql::cacheable::not_cacheable(ctx);
        }
        // The page cache stamps the answer with the epochs of the parts this list reads.
        crate::graphql::cacheable::reads(ctx, &dom::Scope::of(actor).parts(filter.mine));
        let with_total = ctx.look_ahead().field("totalCount").exists();
        let page = suggestions::list(&ctx.services()?.store, actor, &filter, request, with_total).await?;
        Ok(connection(page, request, |s| s.id, Suggestion))
    }

    /// One suggestion, if the viewer may see it.
    async fn suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
    ) -> ApiResult<Suggestion> {
        let actor = ctx.actor()?;
        Ok(Suggestion(suggestions::find_for(&ctx.services()?.store, actor, suggestion_id(&id)?).await?))
    }
}

#[derive(Default)]
pub struct SuggestionMutation;

#[Object]
impl SuggestionMutation {
    /// A deputy starts a draft and becomes its lead deputy.
    async fn create_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `NewSuggestionInput` describes them.")] input: NewSuggestionInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let actor = ctx.actor()?;
        let sitting = dom::Sitting::parse(input.session_number, input.recess_year)?;
        let text = DraftText::parse(&input.title, &input.content, &input.category)?;
        let idempotency =
            idempotency_key.as_deref().map(|key| Idempotency { key, operation: "createSuggestion" });
        Ok(Suggestion(suggestions::create(&ctx.services()?.store, actor, sitting, text, idempotency).await?))
    }

    /// The lead deputy edits the draft.
    async fn edit_suggestion_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "The details, as `DraftInput` describes them.")] input: DraftInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let text = DraftText::parse(&input.title, &input.content, &input.category)?;
        act(ctx, &id, "editSuggestionDraft", idempotency_key.as_deref(), Command::EditDraft(text)).await
    }

    /// The lead deputy invites a deputy of the same congress to co-sign.
    async fn invite_co_signer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "Global ID of the deputy to invite, of the same congress.")] deputy_id: ID,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let deputy_id = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
        let deputy_congress_id = suggestions::deputy_congress(&ctx.services()?.store.db, deputy_id).await?;
        let command = Command::InviteCoSigner { deputy_id, deputy_congress_id };
        act(ctx, &id, "inviteCoSigner", idempotency_key.as_deref(), command).await
    }

    /// An invited deputy joins (accept) or declines.
    async fn answer_co_sign_invitation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "`true` to join as a co-signer, `false` to decline.")] accept: bool,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        act(
            ctx,
            &id,
            "answerCoSignInvitation",
            idempotency_key.as_deref(),
            Command::AnswerInvitation { accept },
        )
        .await
    }

    /// The lead deputy submits the draft; the first submission gives it its serial number.
    async fn submit_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let command = Command::Submit;
        act(ctx, &id, "submitSuggestion", idempotency_key.as_deref(), command).await
    }

    /// Staff send a proposed suggestion back for revision, saying why (预研把关).
    async fn return_suggestion_for_revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "What the deputy should revise.")] reason: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let command = Command::ReturnForRevision { reason: Note::parse("reason", &reason)? };
        act(ctx, &id, "returnSuggestionForRevision", idempotency_key.as_deref(), command).await
    }

    /// The lead deputy withdraws a draft or proposed suggestion.
    async fn withdraw_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        act(ctx, &id, "withdrawSuggestion", idempotency_key.as_deref(), Command::Withdraw).await
    }

    /// Staff assign a proposed suggestion to units with a deadline (交办).
    async fn assign_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "The details, as `AssignmentInput` describes them.")] input: AssignmentInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let (mode, units) = assignment(ctx, &input).await?;
        let command = Command::Assign { mode, units, due_at: input.due_at };
        act(ctx, &id, "assignSuggestion", idempotency_key.as_deref(), command).await
    }

    /// An assigned unit asks to be relieved (改办), within the window after assignment.
    async fn request_reassignment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "Why the unit should be relieved.")] reason: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let command = Command::RequestReassignment { reason: Note::parse("reason", &reason)? };
        act(ctx, &id, "requestReassignment", idempotency_key.as_deref(), command).await
    }

    /// Staff approve a reassignment request with new units; the deadline restarts.
    async fn approve_reassignment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "The details, as `AssignmentInput` describes them.")] input: AssignmentInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let (mode, units) = assignment(ctx, &input).await?;
        let command = Command::ApproveReassignment { mode, units, due_at: input.due_at };
        act(ctx, &id, "approveReassignment", idempotency_key.as_deref(), command).await
    }

    /// Staff reject a reassignment request, saying why.
    async fn reject_reassignment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "Why the request is rejected.")] reason: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let command = Command::RejectReassignment { reason: Note::parse("reason", &reason)? };
        act(ctx, &id, "rejectReassignment", idempotency_key.as_deref(), command).await
    }

    /// The lead unit asks for more time (延期); never beyond six months after assignment.
    async fn request_extension(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "Why more time is needed.")] reason: String,
        #[graphql(desc = "The new deadline asked for; at most six months after assignment.")]
        due_at: DateTime<Utc>,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let command = Command::RequestExtension { reason: Note::parse("reason", &reason)?, due_at };
        act(ctx, &id, "requestExtension", idempotency_key.as_deref(), command).await
    }

    /// Staff approve or reject an extension request (a rejection says why).
    async fn resolve_extension(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "`true` to grant the new deadline, `false` to reject it.")] approve: bool,
        #[graphql(desc = "Why the request is rejected; required when `approve` is false.")] reason: Option<
            String,
        >,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let command =
            Command::ResolveExtension { approve, reason: Note::parse_optional("reason", reason.as_deref())? };
        act(ctx, &id, "resolveExtension", idempotency_key.as_deref(), command).await
    }

    /// The lead unit (each unit in PARALLEL mode) accepts the work (承办).
    async fn accept_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        act(ctx, &id, "acceptSuggestion", idempotency_key.as_deref(), Command::Accept).await
    }

    /// A co-unit gives (or amends, until the answer) its opinion for the lead unit.
    async fn give_co_unit_opinion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "The co-unit's opinion for the lead unit.")] text: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let command = Command::GiveCoOpinion { text: Statement::parse("text", &text)? };
        act(ctx, &id, "giveCoUnitOpinion", idempotency_key.as_deref(), command).await
    }

    /// The lead unit records a contact with the deputy; an answer needs at least one.
    async fn record_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "The details, as `ContactInput` describes them.")] input: ContactInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let command = Command::RecordContact {
            method: input.method.into(),
            contacted_at: input.contacted_at,
            summary: Note::parse("summary", &input.summary)?,
        };
        act(ctx, &id, "recordContact", idempotency_key.as_deref(), command).await
    }

    /// The lead unit (each unit in PARALLEL mode) answers (答复).
    async fn answer_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "The details, as `AnswerInput` describes them.")] input: AnswerInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let answer = dom::AnswerInput::parse(
            &input.content,
            input.answer_class.into(),
            input.promised_by,
            input.reasons.as_deref(),
            &input.signed_by,
            input.public,
        )?;
        act(ctx, &id, "answerSuggestion", idempotency_key.as_deref(), Command::Answer(answer)).await
    }

    /// The lead deputy rates an answer; co-signers may add their own rating. A DISSATISFIED rating
    /// re-opens the unit's part once (重新办理).
    async fn rate_answer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "The details, as `RatingInput` describes them.")] input: RatingInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let unit = input.unit_id.as_ref().map(|u| unit_id(u, "unitId")).transpose()?;
        let rating = dom::RatingInput::parse(
            unit,
            input.attitude.into(),
            input.result.into(),
            input.comment.as_deref(),
        )?;
        act(ctx, &id, "rateAnswer", idempotency_key.as_deref(), Command::Rate(rating)).await
    }

    /// The lead unit reports progress on a B-class promise, until done.
    async fn report_implementation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "What was done so far.")] note: String,
        #[graphql(desc = "`true` when the promise is fulfilled; no more reports follow.")] done: bool,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let command = Command::ReportImplementation { note: Note::parse("note", &note)?, done };
        act(ctx, &id, "reportImplementation", idempotency_key.as_deref(), command).await
    }

    /// The lead deputy rates the implemented result (答复满意 → 结果满意).
    async fn rate_implementation_result(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(
            desc = "Global ID of the unit whose result is rated; may be left out when only one unit answers."
        )]
        unit_id: Option<ID>,
        #[graphql(desc = "How satisfied the lead deputy is with the result.")] satisfaction: Satisfaction,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let unit = unit_id.as_ref().map(|u| self::unit_id(u, "unitId")).transpose()?;
        let command = Command::RateResult { unit_id: unit, satisfaction: satisfaction.into() };
        act(ctx, &id, "rateImplementationResult", idempotency_key.as_deref(), command).await
    }

    /// Staff merge a proposed suggestion into another proposed one of the same congress (并案): it is then
    /// assigned and handled with that one, and its lead deputy still gets the answer and rates it.
    async fn merge_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the proposed suggestion to merge away.")] id: ID,
        #[graphql(desc = "Global ID of the proposed suggestion of the same congress it is merged into.")]
        into_id: ID,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let actor = ctx.actor()?;
        let services = ctx.services()?;
        let primary = ids::decode(NodeKind::Suggestion, "intoId", &into_id)?;
        let idempotency =
            idempotency_key.as_deref().map(|key| Idempotency { key, operation: "mergeSuggestion" });
        let merged = suggestions::merge(
            &services.store,
            actor,
            suggestion_id(&id)?,
            primary,
            idempotency,
            &services.suggestion_policy,
        )
        .await?;
        Ok(Suggestion(merged))
    }

    /// Staff mark a suggestion as key supervised (重点督办) and add notes.
    async fn supervise_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
        #[graphql(desc = "Who supervises it (督办人 or body).")] supervisor: String,
        #[graphql(desc = "Optional supervision notes.")] note: Option<String>,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Suggestion> {
        let command = Command::Supervise {
            supervisor: Label::parse("supervisor", &supervisor)?,
            note: Note::parse_optional("note", note.as_deref())?,
        };
        act(ctx, &id, "superviseSuggestion", idempotency_key.as_deref(), command).await
    }

    /// A citizen follows a suggestion with a public answer, to hear its later answers, the deputies'
    /// ratings and any new round of handling in their inbox. Following twice is following once.
    /// FORBIDDEN for other roles (they hear of their own); NOT_FOUND without a public answer.
    async fn follow_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
    ) -> ApiResult<Suggestion> {
        let actor = ctx.actor()?;
        Ok(Suggestion(suggestions::follow::follow(&ctx.services()?.store, actor, suggestion_id(&id)?).await?))
    }

    /// Stops following a suggestion (whether or not the viewer did).
    async fn unfollow_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] id: ID,
    ) -> ApiResult<Suggestion> {
        let actor = ctx.actor()?;
        Ok(Suggestion(
            suggestions::follow::unfollow(&ctx.services()?.store, actor, suggestion_id(&id)?).await?,
        ))
    }
}

/// A step of a suggestion's timeline for `node(id)`: for those who may see the suggestion, masked for their
/// sight as on `Suggestion.timeline`; null for everyone else.
pub async fn timeline_event_node(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<TimelineEvent>> {
    let actor = ctx.actor()?;
    let found = suggestions::timeline_event_for(&ctx.services()?.store, actor, id).await?;
    Ok(found.map(|(event, sight)| TimelineEvent::seen(event, sight)))
}

/// A part of a suggestion for `node(id)`: a co-signer, a unit's part or an answer, as the viewer sees them
/// on the suggestion (its public face for a deputy with no part in it, so a non-public answer is not
/// there); null when the viewer may not see the suggestion or the part is not there (any more).
pub async fn part_node(
    ctx: &Context<'_>,
    kind: Option<NodeKind>,
    key: ids::PartKey,
) -> ApiResult<Option<crate::graphql::node::Node>> {
    use crate::graphql::node::Node;
    let actor = ctx.actor()?;
    let found = suggestions::find_for(&ctx.services()?.store, actor, key.owner).await;
    let s = match found {
        Ok(s) => s,
        Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let shown = match dom::sight(actor, &s) {
        dom::Sight::Full => s,
        dom::Sight::Public | dom::Sight::Hidden => dom::public_face(&s),
    };
    let part = || shown.assignment.as_ref().and_then(|a| a.units.iter().find(|p| p.unit_id == key.member));
    let node = match (kind, key.at) {
        (Some(NodeKind::CoSigner), None) => shown
            .co_signers
            .iter()
            .find(|c| c.deputy_id == key.member)
            .map(|c| Node::CoSigner(Box::new(CoSigner::new(shown.id, c.clone())))),
        (Some(NodeKind::HandlingPart), None) => {
            part().map(|p| Node::HandlingPart(Box::new(HandlingPart::new(shown.id, p.clone()))))
        }
        (Some(NodeKind::Answer), Some(at)) => part().and_then(|p| {
            let earlier = p.history.iter().map(|(a, _)| a);
            p.answer
                .iter()
                .chain(earlier)
                .find(|a| a.at.timestamp_micros() == at)
                .map(|a| Node::Answer(Box::new(Answer::new(shown.id, key.member, a.clone()))))
        }),
        _ => None,
    };
    Ok(node)
}
