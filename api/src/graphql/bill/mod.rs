//! Bills (代表议案) over GraphQL: a deputy drafts a bill and invites co-sponsors, tables it during a session
//! (or staff table it for a delegation), staff record what the presidium decides (agenda, committee, or a
//! suggestion), assign it, invite the lead sponsor to its meetings, record the review and the follow-up
//! and close it, and the lead sponsor rates it. Resolvers parse arguments and call one use case of
//! `edaibiao_infra::bills`.

mod enums;
pub mod types;

pub use types::Bill;

use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::NodeKind;
use crate::graphql::node::Node;
use crate::graphql::suggestion::Satisfaction;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::bill::{BillText, CoSponsorThreshold, MAX_CO_SPONSORS, MAX_UNITS, parse_session};
use edaibiao_domain::text::{Label, Note, Statement};
use edaibiao_infra::bills::{self as store, Assignment, BillFilter, Decision};
use enums::{BillDisposition, BillState};
use types::{BillSettings, BillStatistics};
use uuid::Uuid;

fn bill_id(id: &ID, field: &'static str) -> ApiResult<Uuid> {
    ids::decode(NodeKind::Bill, field, id)
}

/// A bill's text.
#[derive(InputObject)]
pub struct BillInput {
    /// Title, 1–100 characters.
    pub title: String,
    /// The case for it (案由), 1–9,000 characters.
    pub reason: String,
    /// The proposed provisions (案据和方案), 1–10,000 characters.
    pub provisions: String,
}

impl BillInput {
    fn parse(&self) -> ApiResult<BillText> {
        Ok(BillText::parse(&self.title, &self.reason, &self.provisions)?)
    }
}

/// A congress's bill settings, replaced as a whole.
#[derive(InputObject)]
pub struct BillSettingsInput {
    /// Confirmed co-sponsors a bill needs, 1–100; null for the level's default (10 at county level and
    /// above, 5 at township level).
    pub co_sponsor_threshold: Option<i32>,
    /// The session in progress, 1–99; null for the recess (drafts wait; decisions are the standing
    /// committee's).
    pub session_number: Option<i32>,
}

/// What the presidium (or the standing committee) decides.
#[derive(InputObject)]
pub struct DecideBillInput {
    /// What the bill becomes.
    pub disposition: BillDisposition,
    /// Global ID of the special committee (required for REFERRED), of the bill's congress.
    pub committee_id: Option<ID>,
    /// A note on the decision, up to 2,000 characters.
    pub note: Option<String>,
}

/// An assignment of a bill.
#[derive(InputObject)]
pub struct AssignBillInput {
    /// Global ID of the special committee that reviews it, of the bill's congress.
    pub committee_id: ID,
    /// Global IDs of the units that handle it (at most 20), of the bill's congress.
    #[graphql(default)]
    pub unit_ids: Vec<ID>,
    /// When the handling is due: ahead, within two years.
    pub due_at: DateTime<Utc>,
}

/// A review to record.
#[derive(InputObject)]
pub struct ReviewBillInput {
    /// The committee's review report, 1–5,000 characters.
    pub report: String,
    /// The standing committee's decision (审议结果), 1–2,000 characters.
    pub decision: String,
}

/// The lead sponsor's rating.
#[derive(InputObject)]
pub struct RateBillInput {
    /// 办理态度.
    pub attitude: Satisfaction,
    /// 办理结果.
    pub result: Satisfaction,
    /// A comment, up to 2,000 characters.
    pub comment: Option<String>,
}

#[derive(Default)]
pub struct BillQuery;

#[Object]
impl BillQuery {
    /// One bill, for its lead sponsor, its co-sponsors (not those who declined), its congress's staff and
    /// the leader of the delegation that tabled it once tabled, and its units; NOT_FOUND for anyone else.
    async fn bill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
    ) -> ApiResult<Bill> {
        let found = store::find_for(&ctx.services()?.store, ctx.actor()?, bill_id(&id, "id")?).await?;
        Ok(Bill(found))
    }

    /// The bills the viewer may see, oldest first: a deputy's own (led or co-sponsored) and those tabled by
    /// a delegation they lead, a unit's assigned, staff's tabled bills of their congress; empty for anyone
    /// else.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn bills(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only bills of this congress.")] congress_id: Option<ID>,
        #[graphql(desc = "Only bills in these states (at most 9).")] states: Option<Vec<BillState>>,
        #[graphql(desc = "Only bills of this committee.")] committee_id: Option<ID>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<Bill>> {
        let states = states.unwrap_or_default();
        if states.len() > edaibiao_domain::bill::BillState::ALL.len() {
            return Err(ApiError::bad_input("states", "at most 9 states"));
        }
        let filter = BillFilter {
            congress_id: congress_id
                .as_ref()
                .map(|c| ids::decode(NodeKind::Congress, "congressId", c))
                .transpose()?,
            states: states.into_iter().map(Into::into).collect(),
            committee_id: committee_id
                .as_ref()
                .map(|c| ids::decode(NodeKind::Committee, "committeeId", c))
                .transpose()?,
        };
        let request = page_request(first, after)?;
        let page = store::list_for(&ctx.services()?.store, ctx.actor()?, &filter, request).await?;
        Ok(connection(page, request, |b| b.id, Bill))
    }

    /// A congress's bill settings (co-sponsor threshold, session in progress): for anyone logged in.
    async fn bill_settings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
    ) -> ApiResult<BillSettings> {
        ctx.actor()?;
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        Ok(BillSettings(store::settings_for(&ctx.services()?.store.db, congress).await?))
    }

    /// A congress's bill statistics: tabled bills by state, by committee and on-time handling. For its
    /// staff (and admins); FORBIDDEN for anyone else.
    async fn bill_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
    ) -> ApiResult<BillStatistics> {
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        Ok(store::bill_statistics(&ctx.services()?.store, ctx.actor()?, congress).await?.into())
    }
}

#[derive(Default)]
pub struct BillMutation;

#[Object]
impl BillMutation {
    /// Staff set their congress's bill settings (threshold, session in progress), replacing them.
    async fn set_bill_settings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "The settings.")] input: BillSettingsInput,
    ) -> ApiResult<BillSettings> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let threshold = input.co_sponsor_threshold.map(CoSponsorThreshold::parse).transpose()?;
        let session = input.session_number.map(parse_session).transpose()?;
        Ok(BillSettings(store::set_settings(&services.store, actor, congress, threshold, session).await?))
    }

    /// A deputy drafts a bill (DRAFT) and becomes its lead sponsor. A retry with the same
    /// `idempotencyKey` (8–100 characters) returns the first draft.
    async fn draft_bill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The bill's text.")] input: BillInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not draft twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        Ok(Bill(store::draft(&services.store, actor, input.parse()?, idempotency_key.as_deref()).await?))
    }

    /// The lead sponsor edits a DRAFT.
    async fn edit_bill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "The bill's text as it is to be.")] input: BillInput,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        Ok(Bill(store::edit(&services.store, actor, bill_id(&id, "id")?, input.parse()?).await?))
    }

    /// The lead sponsor invites deputies of the same congress to co-sponsor a DRAFT (附议); each is told
    /// (`BILL_CO_SPONSOR_INVITED`). At most 200 co-sponsors in all.
    async fn invite_bill_co_sponsors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "Global IDs of the deputies, 1–200.")] deputy_ids: Vec<ID>,
        #[graphql(desc = "The phone's key for this request, so a retry does not invite twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        if deputy_ids.len() > MAX_CO_SPONSORS {
            return Err(ApiError::bad_input("deputyIds", "at most 200 deputies"));
        }
        let deputies = deputy_ids
            .iter()
            .map(|d| ids::decode(NodeKind::Deputy, "deputyIds", d))
            .collect::<ApiResult<Vec<_>>>()?;
        let id = bill_id(&id, "id")?;
        Ok(Bill(store::invite(&services.store, actor, id, &deputies, idempotency_key.as_deref()).await?))
    }

    /// An invited deputy accepts or declines co-sponsoring a DRAFT, once. Declining answers null (the bill
    /// is no longer theirs to see).
    async fn answer_bill_co_sponsorship(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "True to co-sponsor, false to decline.")] accept: bool,
    ) -> ApiResult<Option<Bill>> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        match store::answer_invitation(&services.store, actor, bill_id(&id, "id")?, accept).await {
            Ok(b) => Ok(Some(Bill(b))),
            Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) if !accept => {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Tables a DRAFT during a session (TABLED, with a serial 议案第N号): by its lead sponsor with at least
    /// the congress's threshold of confirmed co-sponsors, or in the name of the lead sponsor's delegation
    /// (`delegationId`), whatever the co-sponsors, by the delegation's leader (组长) or the congress's staff
    /// acting for it. During the recess CONFLICT: the
    /// draft waits. Staff and the sponsors are told (`BILL_TABLED`).
    async fn table_bill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(
            desc = "Global ID of the delegation (a `DeputyGroup`) tabling it: its leader or staff only."
        )]
        delegation_id: Option<ID>,
        #[graphql(desc = "The phone's key for this request, so a retry does not act twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let delegation = delegation_id
            .as_ref()
            .map(|d| ids::decode(NodeKind::DeputyGroup, "delegationId", d))
            .transpose()?;
        let id = bill_id(&id, "id")?;
        Ok(Bill(store::table(&services.store, actor, id, delegation, idempotency_key.as_deref()).await?))
    }

    /// Staff record what the presidium (in session) or the standing committee (in recess) decides a
    /// TABLED bill becomes: ON_AGENDA, REFERRED (to `committeeId`) or CONVERTED, which creates a PROPOSED
    /// suggestion with the same sponsors and a suggestion serial, linked both ways, in the same step. The
    /// sponsors are told (`BILL_DECIDED`). Of two concurrent decisions one wins, the other is CONFLICT.
    async fn decide_bill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "The decision.")] input: DecideBillInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not act twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let decision = Decision {
            disposition: input.disposition.into(),
            committee_id: input
                .committee_id
                .as_ref()
                .map(|c| ids::decode(NodeKind::Committee, "committeeId", c))
                .transpose()?,
            note: Note::parse_optional("note", input.note.as_deref())?,
        };
        let id = bill_id(&id, "id")?;
        Ok(Bill(store::decide(&services.store, actor, id, decision, idempotency_key.as_deref()).await?))
    }

    /// Staff assign a bill ON_AGENDA or REFERRED to its committee and units with a deadline (again to
    /// change it, until reviewed). The units and sponsors are told (`BILL_ASSIGNED`).
    async fn assign_bill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "The assignment.")] input: AssignBillInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not act twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        if input.unit_ids.len() > MAX_UNITS {
            return Err(ApiError::bad_input("unitIds", "at most 20 units"));
        }
        let assignment = Assignment {
            committee_id: ids::decode(NodeKind::Committee, "committeeId", &input.committee_id)?,
            unit_ids: input
                .unit_ids
                .iter()
                .map(|u| ids::decode(NodeKind::HandlingUnit, "unitIds", u))
                .collect::<ApiResult<Vec<_>>>()?,
            due_at: input.due_at,
        };
        let id = bill_id(&id, "id")?;
        Ok(Bill(store::assign(&services.store, actor, id, assignment, idempotency_key.as_deref()).await?))
    }

    /// Staff invite the lead sponsor to a meeting considering an assigned bill (邀请领衔人列席); they are
    /// told (`BILL_MEETING_INVITED`). At most 50 meetings per bill.
    async fn invite_bill_lead_sponsor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "What the meeting is, 1–100 characters.")] title: String,
        #[graphql(desc = "When it is held.")] held_at: DateTime<Utc>,
        #[graphql(desc = "The phone's key for this request, so a retry does not invite twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let title = Label::parse("title", &title)?;
        let id = bill_id(&id, "id")?;
        Ok(Bill(
            store::invite_lead_sponsor(
                &services.store,
                actor,
                id,
                title,
                held_at,
                idempotency_key.as_deref(),
            )
            .await?,
        ))
    }

    /// Staff record whether the lead sponsor attended meeting `meetingNumber` of the bill (until it is
    /// reviewed). NOT_FOUND for no such meeting.
    async fn record_bill_attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "The meeting's `number`.")] meeting_number: i32,
        #[graphql(desc = "Whether the lead sponsor attended.")] attended: bool,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let id = bill_id(&id, "id")?;
        Ok(Bill(store::record_attendance(&services.store, actor, id, meeting_number, attended).await?))
    }

    /// Staff record the committee's review report and the standing committee's decision (审议结果) of an
    /// assigned bill (REVIEWED). The sponsors and units are told (`BILL_REVIEWED`).
    async fn review_bill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "The review.")] input: ReviewBillInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not act twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let report = Statement::parse("report", &input.report)?;
        let decision = Note::parse("decision", &input.decision)?;
        let id = bill_id(&id, "id")?;
        Ok(Bill(
            store::review(&services.store, actor, id, report, decision, idempotency_key.as_deref()).await?,
        ))
    }

    /// A unit of the bill (or staff) reports on carrying out the decision (FOLLOW_UP); staff and the lead
    /// sponsor are told (`BILL_FOLLOW_UP_REPORTED`).
    async fn report_bill_follow_up(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "What was done, 1–2,000 characters.")] note: String,
        #[graphql(desc = "The phone's key for this request, so a retry does not report twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let note = Note::parse("note", &note)?;
        let id = bill_id(&id, "id")?;
        Ok(Bill(store::report_follow_up(&services.store, actor, id, note, idempotency_key.as_deref()).await?))
    }

    /// Staff press the units on a bill's follow-up (督办); the units are told (`BILL_SUPERVISED`).
    async fn supervise_bill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "What is asked, 1–2,000 characters.")] note: String,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let note = Note::parse("note", &note)?;
        Ok(Bill(store::supervise(&services.store, actor, bill_id(&id, "id")?, note).await?))
    }

    /// Staff (for the committee) close a bill's FOLLOW_UP (CLOSED); the sponsors and units are told
    /// (`BILL_CLOSED`).
    async fn close_bill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "The closing note, 1–2,000 characters.")] note: String,
        #[graphql(desc = "The phone's key for this request, so a retry does not act twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let note = Note::parse("note", &note)?;
        let id = bill_id(&id, "id")?;
        Ok(Bill(store::close(&services.store, actor, id, note, idempotency_key.as_deref()).await?))
    }

    /// The lead sponsor rates a CLOSED bill's handling once (RATED); staff and the units are told
    /// (`BILL_RATED`).
    async fn rate_bill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the bill.")] id: ID,
        #[graphql(desc = "The rating.")] input: RateBillInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not rate twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Bill> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let comment = Note::parse_optional("comment", input.comment.as_deref())?;
        let id = bill_id(&id, "id")?;
        Ok(Bill(
            store::rate(
                &services.store,
                actor,
                id,
                input.attitude.into(),
                input.result.into(),
                comment,
                idempotency_key.as_deref(),
            )
            .await?,
        ))
    }
}

/// `node(id)` for a bill: null when the viewer may not see it.
pub async fn node(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Node>> {
    match store::find_for(&ctx.services()?.store, ctx.actor()?, id).await {
        Ok(b) => Ok(Some(Node::Bill(Box::new(Bill(b))))),
        Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The bill a suggestion was converted from, if the viewer may see it (`Suggestion.fromBill`).
pub async fn from_suggestion(ctx: &Context<'_>, suggestion_id: Uuid) -> ApiResult<Option<Bill>> {
    let found = store::from_suggestion(&ctx.services()?.store, ctx.actor()?, suggestion_id).await?;
    Ok(found.map(Bill))
}
