//! Appraisal of units and officials (评议) over GraphQL: staff open an appraisal; the unit reports (述职);
//! the group's deputies record findings; staff issue the numbered list of problems (问题清单); the unit
//! rectifies item by item, each answer accepted or returned; every deputy of the congress casts a secret
//! satisfaction ballot (满意度测评); staff publish the result; an unsatisfactory subject's unit submits a
//! further rectification report (整改报告). Resolvers parse the arguments and call one use case.

pub mod choice;
pub mod citizens;
pub mod types;

pub use choice::{AppraisalCandidate, AppraisalChoice, AppraisalChoiceMutation, AppraisalChoiceQuery};
pub use citizens::{AppraisalCitizenMutation, AppraisalCitizenQuery};
pub use types::{Appraisal, AppraisalFinding, AppraisalItem, AppraisalResult};

use crate::graphql::ids::NodeKind;

use crate::graphql::ballot::Mark;
use crate::graphql::connection::{Conn, connection, page_cost, page_request};
use crate::graphql::error::ApiResult;
use crate::graphql::node::Node;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object, OneofObject};
use chrono::NaiveDate;
use edaibiao_domain::text::{Body, Label, Note, PersonName, Statement};
use edaibiao_infra::appraisals::{self, Filter, ItemStep, OpenInput, SubjectInput};
use edaibiao_infra::idempotency::Idempotency;
use types::{AppraisalFindingSource, AppraisalState};
use uuid::Uuid;

fn appraisal_id(id: &ID, field: &'static str) -> ApiResult<Uuid> {
    ids::decode(NodeKind::Appraisal, field, id)
}

fn item_id(id: &ID) -> ApiResult<Uuid> {
    ids::decode(NodeKind::AppraisalItem, "itemId", id)
}

fn idem<'a>(key: Option<&'a str>, operation: &'static str) -> Option<Idempotency<'a>> {
    key.map(|key| Idempotency { key, operation })
}

/// What is appraised: exactly one of the two.
#[derive(OneofObject)]
pub enum AppraisalSubjectInput {
    /// A handling unit's special work (工作评议): its topic, 1–100 characters, e.g. 优化营商环境.
    UnitWork(String),
    /// An official appointed by the congress (履职评议).
    Official(OfficialInput),
}

/// The subject as the rules take it, its texts checked.
fn subject_input(subject: AppraisalSubjectInput) -> ApiResult<SubjectInput> {
    Ok(match subject {
        AppraisalSubjectInput::UnitWork(topic) => {
            SubjectInput::UnitWork { topic: Label::parse("subject.unitWork", &topic)? }
        }
        AppraisalSubjectInput::Official(o) => SubjectInput::Official {
            name: PersonName::parse("subject.official.name", &o.name)?,
            post: Label::parse("subject.official.post", &o.post)?,
        },
    })
}

/// An official appointed by the congress.
#[derive(InputObject)]
pub struct OfficialInput {
    /// The official's name, 1–50 characters.
    pub name: String,
    /// The post, 1–100 characters: 副市长, 局长, 法院院长, 检察院检察长 …
    pub post: String,
}

/// An appraisal to open.
#[derive(InputObject)]
pub struct OpenAppraisalInput {
    /// The congress that appraises.
    pub congress_id: ID,
    /// The year appraised: last year, this year or next year.
    pub year: i32,
    /// The handling unit appraised, or the one that answers for the official; of the same congress.
    pub unit_id: ID,
    /// What is appraised.
    pub subject: AppraisalSubjectInput,
    /// The deputies of the appraisal group: 1–50 deputies of the congress.
    pub group_deputy_ids: Vec<ID>,
    /// When the unit's written report is due (today or later).
    pub report_due: NaiveDate,
    /// When every item should be rectified (not before the report is due).
    pub rectification_due: NaiveDate,
    /// The first day of the planned vote (not before rectification is due).
    pub voting_from: NaiveDate,
    /// The last day of the planned vote: ballots are refused after it.
    pub voting_until: NaiveDate,
    /// The candidate of a closed vote on whom to appraise that chose this subject (`AppraisalCandidate`,
    /// PASSED, of the same unit); one appraisal per candidate.
    pub choice_candidate_id: Option<ID>,
}

#[derive(Default)]
pub struct AppraisalQuery;

#[Object]
impl AppraisalQuery {
    /// One appraisal: every step for staff and deputies of its congress and for its unit; a published one's
    /// result for anyone, signed in or not. NOT_FOUND when there is none or the viewer may not know of it.
    async fn appraisal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the appraisal.")] id: ID,
    ) -> ApiResult<Appraisal> {
        let id = appraisal_id(&id, "id")?;
        Ok(Appraisal(appraisals::find_for(&ctx.services()?.store, ctx.actor_opt(), id).await?))
    }

    /// A congress's appraisals, oldest first: all of them for its staff and deputies, a unit's own (and the
    /// published ones) for the unit's staff, the published ones for anyone else. Filter by year, by unit (a
    /// unit's appraisal history) or by state.
    #[graphql(complexity = "page_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn appraisals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Only this year's.")] year: Option<i32>,
        #[graphql(desc = "Only those of this handling unit.")] unit_id: Option<ID>,
        #[graphql(desc = "Only those in this state.")] state: Option<AppraisalState>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<Appraisal>> {
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let unit_id = unit_id.map(|u| ids::decode(NodeKind::HandlingUnit, "unitId", &u)).transpose()?;
        let request = page_request(first, after)?;
        let filter = Filter { congress_id, year, unit_id, state: state.map(Into::into) };
        let page = appraisals::list(&ctx.services()?.store, ctx.actor_opt(), filter, request).await?;
        Ok(connection(page, request, |a| a.id, Appraisal))
    }
}

#[derive(Default)]
pub struct AppraisalMutation;

#[Object]
impl AppraisalMutation {
    /// Staff of the congress open an appraisal (OPEN); its group and the unit are told.
    async fn open_appraisal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The appraisal, as `OpenAppraisalInput` describes it.")] input: OpenAppraisalInput,
    ) -> ApiResult<Appraisal> {
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &input.congress_id)?;
        let unit_id = ids::decode(NodeKind::HandlingUnit, "unitId", &input.unit_id)?;
        let group = input
            .group_deputy_ids
            .iter()
            .map(|d| ids::decode(NodeKind::Deputy, "groupDeputyIds", d))
            .collect::<ApiResult<Vec<_>>>()?;
        let subject = subject_input(input.subject)?;
        let choice_candidate = input
            .choice_candidate_id
            .as_ref()
            .map(|c| ids::decode(NodeKind::AppraisalCandidate, "choiceCandidateId", c))
            .transpose()?;
        let open = OpenInput {
            congress_id,
            year: input.year,
            unit_id,
            subject,
            group,
            report_due: input.report_due,
            rectification_due: input.rectification_due,
            voting_from: input.voting_from,
            voting_until: input.voting_until,
            choice_candidate,
        };
        Ok(Appraisal(appraisals::open(&ctx.services()?.store, ctx.actor()?, open).await?))
    }

    /// The unit's staff submit the written report (述职报告), 1–20,000 characters: OPEN → REPORTED; the
    /// group and staff are told.
    async fn submit_appraisal_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the appraisal.")] appraisal_id: ID,
        #[graphql(desc = "The written report, 1–20,000 characters.")] report: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Appraisal> {
        let id = self::appraisal_id(&appraisal_id, "appraisalId")?;
        let report = Body::parse("report", &report)?;
        let idem = idem(idempotency_key.as_deref(), "submitAppraisalReport");
        Ok(Appraisal(
            appraisals::submit_report(&ctx.services()?.store, ctx.actor()?, id, report, idem).await?,
        ))
    }

    /// Staff record the day the oral report (述职会议) was held (not in the future), while OPEN or
    /// REPORTED; the group is told.
    async fn record_appraisal_oral_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the appraisal.")] appraisal_id: ID,
        #[graphql(desc = "The day the oral report was held.")] held_on: NaiveDate,
    ) -> ApiResult<Appraisal> {
        let id = self::appraisal_id(&appraisal_id, "appraisalId")?;
        Ok(Appraisal(
            appraisals::record_oral_report(&ctx.services()?.store, ctx.actor()?, id, held_on).await?,
        ))
    }

    /// A deputy of the appraisal group records a problem found, while REPORTED.
    async fn add_appraisal_finding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the appraisal.")] appraisal_id: ID,
        #[graphql(desc = "What was found, 1–5,000 characters.")] text: String,
        #[graphql(desc = "Where it came from.")] source: AppraisalFindingSource,
        #[graphql(desc = "Global ID of the citizens' opinion it came from (CITIZEN_OPINION only).")]
        opinion_id: Option<ID>,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<AppraisalFinding> {
        let id = self::appraisal_id(&appraisal_id, "appraisalId")?;
        let text = Statement::parse("text", &text)?;
        let opinion = opinion_id.map(|o| ids::decode(NodeKind::Opinion, "opinionId", &o)).transpose()?;
        let idem = idem(idempotency_key.as_deref(), "addAppraisalFinding");
        let (store, actor) = (&ctx.services()?.store, ctx.actor()?);
        let found = appraisals::add_finding(store, actor, id, text, source.into(), opinion, idem).await?;
        Ok(AppraisalFinding(found))
    }

    /// Staff issue the list of problems (问题清单), numbered 1, 2, 3 … in the order given (1–100 problems,
    /// each 1–5,000 characters): REPORTED → RECTIFYING; the unit is told.
    async fn issue_appraisal_items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the appraisal.")] appraisal_id: ID,
        #[graphql(desc = "The problems, in the order they are numbered.")] problems: Vec<String>,
    ) -> ApiResult<Appraisal> {
        let id = self::appraisal_id(&appraisal_id, "appraisalId")?;
        let problems =
            problems.iter().map(|p| Statement::parse("problems", p)).collect::<Result<Vec<_>, _>>()?;
        Ok(Appraisal(appraisals::issue_items(&ctx.services()?.store, ctx.actor()?, id, problems).await?))
    }

    /// The unit's staff answer an item (what was done, and by when it will be done), while it is OPEN or
    /// RETURNED; the group and staff are told. CONFLICT while an answer awaits a decision or once accepted.
    async fn answer_appraisal_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the item.")] item_id: ID,
        #[graphql(desc = "What the unit did, 1–5,000 characters.")] answer: String,
        #[graphql(desc = "By when it will be done (today or later).")] done_by: NaiveDate,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<AppraisalItem> {
        let id = self::item_id(&item_id)?;
        let step = ItemStep::Answer { text: Statement::parse("answer", &answer)?, done_by };
        let idem = idem(idempotency_key.as_deref(), "answerAppraisalItem");
        Ok(AppraisalItem(appraisals::step_item(&ctx.services()?.store, ctx.actor()?, id, step, idem).await?))
    }

    /// A deputy of the group or staff accept an item's answer: the item is closed. Of concurrent decisions
    /// on one item one wins; the others are CONFLICT.
    async fn accept_appraisal_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the item.")] item_id: ID,
    ) -> ApiResult<AppraisalItem> {
        let id = self::item_id(&item_id)?;
        let store = &ctx.services()?.store;
        Ok(AppraisalItem(appraisals::step_item(store, ctx.actor()?, id, ItemStep::Accept, None).await?))
    }

    /// A deputy of the group or staff return an item's answer with a reason; the unit is told and answers
    /// again. Of concurrent decisions on one item one wins; the others are CONFLICT.
    async fn return_appraisal_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the item.")] item_id: ID,
        #[graphql(desc = "Why, 1–2,000 characters.")] reason: String,
    ) -> ApiResult<AppraisalItem> {
        let id = self::item_id(&item_id)?;
        let step = ItemStep::Return { reason: Note::parse("reason", &reason)? };
        let store = &ctx.services()?.store;
        Ok(AppraisalItem(appraisals::step_item(store, ctx.actor()?, id, step, None).await?))
    }

    /// Staff open the satisfaction vote: RECTIFYING → VOTING, only when every item is accepted (CONFLICT
    /// saying how many are not). Every deputy of the congress is told.
    async fn open_appraisal_voting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the appraisal.")] appraisal_id: ID,
    ) -> ApiResult<Appraisal> {
        let id = self::appraisal_id(&appraisal_id, "appraisalId")?;
        Ok(Appraisal(appraisals::open_voting(&ctx.services()?.store, ctx.actor()?, id).await?))
    }

    /// A deputy of the congress (one when the vote opened) casts their secret satisfaction ballot
    /// (满意度测评) while VOTING and until the last day of the planned vote (CONFLICT after it): SATISFIED,
    /// BASICALLY_SATISFIED or DISSATISFIED. One ballot per deputy: a second is CONFLICT; a retry with the
    /// same `idempotencyKey` counts once. What a deputy chose is never stored, only the counts and that
    /// they voted.
    async fn cast_appraisal_ballot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the appraisal.")] appraisal_id: ID,
        #[graphql(desc = "The deputy's mark on the subject.")] mark: Mark,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Appraisal> {
        let id = self::appraisal_id(&appraisal_id, "appraisalId")?;
        let idem = idem(idempotency_key.as_deref(), "castAppraisalBallot");
        let store = &ctx.services()?.store;
        Ok(Appraisal(appraisals::cast(store, ctx.actor()?, id, mark.into(), idem).await?))
    }

    /// Staff close the vote and publish the result (VOTING → PUBLISHED): the satisfaction rate, the verdict
    /// (satisfactory at ≥ 60 % with more than half of the electorate voting) and the rank. An
    /// unsatisfactory result asks the unit for a further rectification report. The unit, the group and
    /// staff are told.
    async fn publish_appraisal_result(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the appraisal.")] appraisal_id: ID,
    ) -> ApiResult<Appraisal> {
        let id = self::appraisal_id(&appraisal_id, "appraisalId")?;
        Ok(Appraisal(appraisals::publish(&ctx.services()?.store, ctx.actor()?, id).await?))
    }

    /// The unit's staff submit the further rectification report (整改报告) an unsatisfactory result asks
    /// for, once (1–20,000 characters); staff are told.
    async fn submit_appraisal_rectification_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the appraisal.")] appraisal_id: ID,
        #[graphql(desc = "The report, 1–20,000 characters.")] report: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Appraisal> {
        let id = self::appraisal_id(&appraisal_id, "appraisalId")?;
        let report = Body::parse("report", &report)?;
        let idem = idem(idempotency_key.as_deref(), "submitAppraisalRectificationReport");
        let store = &ctx.services()?.store;
        Ok(Appraisal(appraisals::submit_further_report(store, ctx.actor()?, id, report, idem).await?))
    }
}

/// Loads an appraisal, one of its items or one of its findings for `node(id)`, as `appraisal` shows it: null when there is none
/// or the viewer may not see it (an item only for insiders).
pub async fn node(ctx: &Context<'_>, kind: NodeKind, id: Uuid) -> ApiResult<Option<Node>> {
    let store = &ctx.services()?.store;
    let viewer = ctx.actor_opt();
    let found = match kind {
        NodeKind::Appraisal => {
            appraisals::find_for(store, viewer, id).await.map(|a| Node::Appraisal(Box::new(Appraisal(a))))
        }
        NodeKind::AppraisalItem => appraisals::item_for(store, viewer, id)
            .await
            .map(|i| Node::AppraisalItem(Box::new(AppraisalItem(i)))),
        NodeKind::AppraisalFinding => appraisals::finding_for(store, viewer, id)
            .await
            .map(|f| Node::AppraisalFinding(Box::new(AppraisalFinding(f)))),
        NodeKind::AppraisalChoice => appraisals::choice::find_for(store, viewer, id)
            .await
            .map(|c| Node::AppraisalChoice(Box::new(AppraisalChoice(c)))),
        NodeKind::AppraisalCandidate => appraisals::choice::candidate_for(store, viewer, id)
            .await
            .map(|c| Node::AppraisalCandidate(Box::new(AppraisalCandidate(c)))),
        _ => return Ok(None),
    };
    match found {
        Ok(node) => Ok(Some(node)),
        Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
