//! Deputies' own reports of constituents' views (代表反映社情民意) over GraphQL: a deputy submits a report,
//! the congress's staff accept it and forward it to a unit (which answers), compile it into a special
//! report (专报) or decline it. Each mutation takes an optional `idempotencyKey`: a retry with the same key
//! returns the first result and does not act twice. A report is seen by its deputy, its congress's staff
//! and the unit it was forwarded to; for anyone else it does not exist (NOT_FOUND, or null from `node`).

use super::connection::{Conn, connection, page_request};
use super::directory::{Deputy, HandlingUnit, LiaisonStation};
use super::error::ApiResult;
use super::ids::NodeKind;
use super::loaders::{DeputyKey, HandlingUnitKey, LiaisonStationKey};
use super::opinion::enums::OpinionCategory;
use super::{ContextExt, ids};
use async_graphql::{Context, Enum, ID, InputObject, MergedObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::deputy_report::{self as domain, ReportInput};
use edaibiao_infra::deputy_reports::{self as store_reports, ReportFilter, ReportStep, Step};
use edaibiao_infra::idempotency::Idempotency;
use uuid::Uuid;

/// Where a deputy's report stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::deputy_report::DeputyReportState")]
pub enum DeputyReportState {
    /// 已报送: submitted, waiting for the staff.
    Submitted,
    /// 已受理: the staff took it; it is forwarded, compiled or declined next.
    Accepted,
    /// 已转办: forwarded to a handling unit, which answers.
    Forwarded,
    /// 已答复: the unit answered; the answer went back to the deputy.
    Answered,
    /// 已编报: compiled into a special report (专报) to the leadership.
    Compiled,
    /// 不予采用: declined by the staff, with a reason.
    Declined,
}

/// A step on a report's timeline.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::deputy_report::DeputyReportEventKind")]
pub enum DeputyReportStepKind {
    /// The deputy submitted it.
    Submitted,
    /// The staff accepted it.
    Accepted,
    /// The staff forwarded it to a unit.
    Forwarded,
    /// The unit answered.
    Answered,
    /// The staff compiled it into a special report.
    Compiled,
    /// The staff declined it.
    Declined,
}

/// A deputy's report of what constituents raised (代表反映社情民意), for the congress's staff.
pub struct DeputyReport(pub domain::DeputyReport);

/// A deputy's report of what constituents raised (代表反映社情民意), for the congress's staff.
#[Object]
impl DeputyReport {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::DeputyReport, self.0.id)
    }
    /// The deputy who wrote it.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.deputy_id)).await?.map(Deputy))
    }
    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The deputy's write-up: the situation, analysis and what they propose.
    async fn content(&self) -> &str {
        &self.0.content
    }
    /// What the constituents raised, in their terms.
    async fn matter(&self) -> &str {
        &self.0.matter
    }
    /// What it is about.
    async fn category(&self) -> OpinionCategory {
        self.0.category.into()
    }
    /// The liaison station it was gathered at, if any.
    async fn station(&self, ctx: &Context<'_>) -> ApiResult<Option<LiaisonStation>> {
        let Some(id) = self.0.station_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(LiaisonStationKey(id)).await?.map(LiaisonStation))
    }
    /// Where it was gathered, in words.
    async fn place(&self) -> Option<&str> {
        self.0.place.as_deref()
    }
    /// Where it stands.
    async fn state(&self) -> DeputyReportState {
        self.0.state.into()
    }
    /// The unit it was forwarded to.
    async fn forwarded_to(&self, ctx: &Context<'_>) -> ApiResult<Option<HandlingUnit>> {
        let Some(id) = self.0.forwarded_unit() else { return Ok(None) };
        Ok(ctx.loader()?.load_one(HandlingUnitKey(id)).await?.map(HandlingUnit))
    }
    /// The staff's note when forwarding.
    async fn forward_note(&self) -> Option<&str> {
        self.0.forwarding.as_ref().and_then(|f| f.note.as_deref())
    }
    /// The unit's answer, which goes back to the deputy.
    async fn answer(&self) -> Option<&str> {
        self.0.forwarding.as_ref().and_then(|f| f.answer.as_ref()).and_then(|a| a.text.as_deref())
    }
    /// When the unit answered.
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.forwarding.as_ref().and_then(|f| f.answer.as_ref()).map(|a| a.at)
    }
    /// The staff's note on the special report (专报) it was compiled into.
    async fn compiled_note(&self) -> Option<&str> {
        self.0.compiled.as_ref().and_then(|c| c.text.as_deref())
    }
    /// Why the staff declined it.
    async fn decline_reason(&self) -> Option<&str> {
        self.0.declined.as_ref().and_then(|d| d.text.as_deref())
    }
    /// When the deputy submitted it; it counts in their archive from that day (unless declined).
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.submitted_at
    }
    /// When its last step was taken.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every step, oldest first.
    async fn timeline(&self, ctx: &Context<'_>) -> ApiResult<Vec<DeputyReportStep>> {
        let steps = store_reports::timeline(&ctx.services()?.store.db, self.0.id).await?;
        Ok(steps.into_iter().map(DeputyReportStep).collect())
    }
}

/// One step on a report's timeline.
pub struct DeputyReportStep(ReportStep);

/// One step on a report's timeline.
#[Object]
impl DeputyReportStep {
    /// What the step was.
    async fn kind(&self) -> DeputyReportStepKind {
        self.0.kind.into()
    }
    /// The role of whoever took it (DEPUTY, CONGRESS_STAFF, UNIT_STAFF, ADMIN).
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }
    /// The state before the step (none for the submission).
    async fn from_state(&self) -> Option<DeputyReportState> {
        self.0.from_state.map(Into::into)
    }
    /// The state after the step.
    async fn to_state(&self) -> DeputyReportState {
        self.0.to_state.into()
    }
    /// The step's text: the forwarding note, the answer, the note on the special report, the reason.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// When it was taken.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// What a deputy reports.
#[derive(InputObject)]
pub struct SubmitDeputyReportInput {
    /// Its title, 1–200 characters.
    pub title: String,
    /// The deputy's write-up (the situation, analysis, what they propose), 1–5,000 characters.
    pub content: String,
    /// What the constituents raised, in their terms (who, how many, where), 1–2,000 characters.
    pub matter: String,
    /// What it is about.
    pub category: OpinionCategory,
    /// Global ID of the liaison station it was gathered at (one of the deputy's congress), if any.
    pub station_id: Option<ID>,
    /// Where it was gathered, in words, up to 200 characters.
    pub place: Option<String>,
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// Deputies' reports of constituents' views, oldest first: the staff of a congress see their
    /// congress's (admins any congress's, or all), a deputy their own, a unit's staff those forwarded to
    /// their unit; anyone else is FORBIDDEN.
    async fn deputy_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress (for admins; staff may name only their own).")]
        congress_id: Option<ID>,
        #[graphql(desc = "Only reports in this state, e.g. SUBMITTED to find what waits.")] state: Option<
            DeputyReportState,
        >,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<DeputyReport>> {
        let actor = ctx.actor()?;
        let congress_id =
            congress_id.map(|c| ids::decode(NodeKind::Congress, "congressId", &c)).transpose()?;
        let request = page_request(first, after)?;
        let filter = ReportFilter { congress_id, state: state.map(Into::into) };
        let page = store_reports::list(&ctx.services()?.store, actor, filter, request).await?;
        Ok(connection(page, request, |r| r.id, DeputyReport))
    }
}

/// One staff or unit step on report `id`.
async fn step(
    ctx: &Context<'_>,
    id: &ID,
    operation: &'static str,
    key: Option<&str>,
    step: Step,
) -> ApiResult<DeputyReport> {
    let actor = ctx.actor()?;
    let id = ids::decode(NodeKind::DeputyReport, "id", id)?;
    let idempotency = key.map(|key| Idempotency { key, operation });
    Ok(DeputyReport(store_reports::act(&ctx.services()?.store, actor, id, step, idempotency).await?))
}

#[derive(Default)]
pub struct ReportMutation;

#[Object]
impl ReportMutation {
    /// A deputy submits a report of what constituents raised to their congress's staff, who are notified.
    /// It counts in the deputy's archive (DEPUTY_REPORT_SUBMITTED) from today, unless declined.
    async fn submit_deputy_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report, as `SubmitDeputyReportInput` describes it.")]
        input: SubmitDeputyReportInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<DeputyReport> {
        let actor = ctx.actor()?;
        let station_id = input
            .station_id
            .as_ref()
            .map(|s| ids::decode(NodeKind::LiaisonStation, "stationId", s))
            .transpose()?;
        let parsed = ReportInput::parse(
            &input.title,
            &input.content,
            &input.matter,
            input.category.into(),
            station_id,
            input.place.as_deref(),
        )?;
        let store = &ctx.services()?.store;
        Ok(DeputyReport(store_reports::submit(store, actor, parsed, idempotency_key.as_deref()).await?))
    }

    /// Staff of the report's congress accept a submitted report; the deputy is notified. CONFLICT unless
    /// it is SUBMITTED.
    async fn accept_deputy_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the report.")] id: ID,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<DeputyReport> {
        step(ctx, &id, "acceptDeputyReport", idempotency_key.as_deref(), Step::Accept).await
    }

    /// Staff forward an accepted report to a handling unit of the congress, which is notified with the
    /// deputy, and answers. CONFLICT unless it is ACCEPTED.
    async fn forward_deputy_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the report.")] id: ID,
        #[graphql(desc = "Global ID of the handling unit (one of the report's congress).")] unit_id: ID,
        #[graphql(desc = "A note to the unit, up to 2,000 characters.")] note: Option<String>,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<DeputyReport> {
        let unit_id = ids::decode(NodeKind::HandlingUnit, "unitId", &unit_id)?;
        let note = domain::step_note("note", note.as_deref())?;
        let forward = Step::Forward { unit_id, note };
        step(ctx, &id, "forwardDeputyReport", idempotency_key.as_deref(), forward).await
    }

    /// The unit a report was forwarded to answers it; the answer goes back to the deputy (and the staff
    /// are told). CONFLICT unless it is FORWARDED.
    async fn answer_deputy_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the report.")] id: ID,
        #[graphql(desc = "The answer, 1–2,000 characters.")] answer: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<DeputyReport> {
        let text = domain::step_text("answer", &answer)?;
        step(ctx, &id, "answerDeputyReport", idempotency_key.as_deref(), Step::Answer { text }).await
    }

    /// Staff compile an accepted report into a special report (专报) to the leadership, with a note; the
    /// deputy is notified. CONFLICT unless it is ACCEPTED.
    async fn compile_deputy_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the report.")] id: ID,
        #[graphql(desc = "The note on the special report (e.g. which issue), 1–2,000 characters.")]
        note: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<DeputyReport> {
        let note = domain::step_text("note", &note)?;
        step(ctx, &id, "compileDeputyReport", idempotency_key.as_deref(), Step::Compile { note }).await
    }

    /// Staff decline a submitted or accepted report with a reason the deputy reads; it then no longer
    /// counts in the deputy's archive. CONFLICT once it is forwarded, compiled or declined.
    async fn decline_deputy_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the report.")] id: ID,
        #[graphql(desc = "Why, 1–2,000 characters.")] reason: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<DeputyReport> {
        let reason = domain::step_text("reason", &reason)?;
        step(ctx, &id, "declineDeputyReport", idempotency_key.as_deref(), Step::Decline { reason }).await
    }
}

/// A report by global ID, for `node(id)`: null unless the viewer may see it.
pub async fn node(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<DeputyReport>> {
    let actor = ctx.actor()?;
    Ok(store_reports::find_for(&ctx.services()?.store.db, actor, id).await?.map(DeputyReport))
}

/// Queries of deputies' reports.
#[derive(MergedObject, Default)]
pub struct DeputyReportQuery(ReportQuery);

/// Mutations of deputies' reports.
#[derive(MergedObject, Default)]
pub struct DeputyReportMutation(ReportMutation);
