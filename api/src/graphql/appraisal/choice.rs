//! The vote on whom to appraise (审议票决出被评议单位) over GraphQL: staff put candidate subjects to the members
//! they name (the standing committee's members); each casts one secret ballot choosing up to the number of
//! appraisals planned; staff close it and open an appraisal for each chosen candidate
//! (`OpenAppraisalInput.choiceCandidateId`).

use super::{AppraisalSubjectInput, subject_input};
use crate::graphql::ballot::Verdict;
use crate::graphql::directory::{Deputy, HandlingUnit};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::HandlingUnitKey;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::text::Label;
use edaibiao_infra::appraisals::choice::{self, CandidateInput, OpenChoiceInput};
use edaibiao_infra::appraisals::{Subject, SubjectInput};
use edaibiao_infra::idempotency::Idempotency;

/// Where a vote on whom to appraise is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::appraisal::choice::ChoiceState")]
pub enum AppraisalChoiceState {
    /// The members vote.
    Voting,
    /// Closed: the results are known.
    Closed,
}

/// A vote of named members on whom to appraise.
pub struct AppraisalChoice(pub choice::AppraisalChoice);

/// A vote on whom to appraise (审议票决出被评议单位): staff of the congress and its deputies see it; the
/// counts, ranks and verdicts only once staff closed it. Ballots are secret: only the counts and who voted
/// are kept.
#[Object]
impl AppraisalChoice {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::AppraisalChoice, self.0.id)
    }
    /// The year whose appraisals it chooses.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// What the vote is, e.g. 2027年度工作评议对象票决.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// How many subjects a ballot may choose: the appraisals planned.
    async fn choose_up_to(&self) -> u32 {
        self.0.seats
    }
    /// Where it stands.
    async fn state(&self) -> AppraisalChoiceState {
        self.0.state.into()
    }
    /// The candidate subjects, in the order staff listed them.
    async fn candidates(&self) -> Vec<AppraisalCandidate> {
        self.0.candidates.iter().cloned().map(AppraisalCandidate).collect()
    }
    /// The members named to vote.
    async fn voters(&self, ctx: &Context<'_>) -> ApiResult<Vec<Deputy>> {
        Ok(ctx.loader()?.deputies_in_order(&self.0.voters).await?.into_iter().map(Deputy).collect())
    }
    /// How many members were named: the electorate the quorum counts against.
    async fn electorate(&self) -> u32 {
        self.0.electorate
    }
    /// Ballots cast so far.
    async fn turnout(&self) -> u32 {
        self.0.turnout
    }
    /// Whether more than half of the members voted; null until closed.
    async fn quorum(&self) -> Option<bool> {
        self.0.quorum
    }
    /// Whether the viewer is a member who may vote now.
    async fn may_vote(&self) -> bool {
        self.0.may_vote
    }
    /// Whether the viewer has voted.
    async fn has_voted(&self) -> bool {
        self.0.has_voted
    }
    /// When it opened.
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
    /// When staff closed it.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
}

/// A candidate subject of a vote on whom to appraise.
pub struct AppraisalCandidate(pub choice::Candidate);

/// A candidate subject of a vote on whom to appraise, with its result once the vote is closed.
#[Object]
impl AppraisalCandidate {
    /// Global ID (name it in `castAppraisalChoiceBallot` and `OpenAppraisalInput.choiceCandidateId`).
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::AppraisalCandidate, self.0.id)
    }
    /// Global ID of its vote.
    async fn choice_id(&self) -> ID {
        ids::encode(NodeKind::AppraisalChoice, self.0.choice_id)
    }
    /// 1, 2, 3 … in the order staff listed the candidates.
    async fn position(&self) -> u32 {
        self.0.position
    }
    /// The unit appraised, or the one that answers for the official.
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<Option<HandlingUnit>> {
        Ok(ctx.loader()?.load_one(HandlingUnitKey(self.0.unit_id)).await?.map(HandlingUnit))
    }
    /// The unit's special work appraised (UNIT_WORK).
    async fn topic(&self) -> Option<&str> {
        match &self.0.subject {
            Subject::UnitWork { topic } => Some(topic),
            Subject::Official { .. } => None,
        }
    }
    /// The official's name (OFFICIAL).
    async fn official_name(&self) -> Option<&str> {
        match &self.0.subject {
            Subject::Official { name, .. } => Some(name),
            Subject::UnitWork { .. } => None,
        }
    }
    /// The official's post (OFFICIAL).
    async fn official_post(&self) -> Option<&str> {
        match &self.0.subject {
            Subject::Official { post, .. } => Some(post),
            Subject::UnitWork { .. } => None,
        }
    }
    /// Members who chose it; null until the vote is closed.
    async fn votes(&self) -> Option<u32> {
        self.0.result.as_ref().map(|r| r.votes)
    }
    /// 1 for the most votes, equal votes sharing a rank; null until closed.
    async fn rank(&self) -> Option<u32> {
        self.0.result.as_ref().map(|r| r.rank)
    }
    /// PASSED: chosen (a majority of all members and within the number planned); TIED at the last place:
    /// staff decide; null until closed.
    async fn verdict(&self) -> Option<Verdict> {
        self.0.result.as_ref().map(|r| r.verdict.into())
    }
}

/// A candidate subject to put to the vote.
#[derive(InputObject)]
pub struct AppraisalCandidateInput {
    /// The handling unit appraised, or the one that answers for the official; of the same congress.
    pub unit_id: ID,
    /// What would be appraised.
    pub subject: AppraisalSubjectInput,
}

/// A vote on whom to appraise, to open.
#[derive(InputObject)]
pub struct OpenAppraisalChoiceInput {
    /// The congress whose appraisals are chosen.
    pub congress_id: ID,
    /// The year of the appraisals.
    pub year: i32,
    /// What the vote is, 1–100 characters, e.g. 2027年度工作评议对象票决.
    pub title: String,
    /// How many subjects a ballot may choose: at least 1 and fewer than the candidates.
    pub choose_up_to: u32,
    /// The candidate subjects, 2–30.
    pub candidates: Vec<AppraisalCandidateInput>,
    /// The members who vote (the standing committee's members): 1–200 deputies of the congress.
    pub voter_deputy_ids: Vec<ID>,
}

#[derive(Default)]
pub struct AppraisalChoiceQuery;

#[Object]
impl AppraisalChoiceQuery {
    /// One vote on whom to appraise, for staff and deputies of its congress; NOT_FOUND for anyone else.
    async fn appraisal_choice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the vote.")] id: ID,
    ) -> ApiResult<AppraisalChoice> {
        let id = ids::decode(NodeKind::AppraisalChoice, "id", &id)?;
        Ok(AppraisalChoice(choice::find_for(&ctx.services()?.store, ctx.actor_opt(), id).await?))
    }

    /// A congress's votes on whom to appraise, newest first (staff and deputies of the congress; empty for
    /// anyone else).
    async fn appraisal_choices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
    ) -> ApiResult<Vec<AppraisalChoice>> {
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let found = choice::list(&ctx.services()?.store, ctx.actor_opt(), congress).await?;
        Ok(found.into_iter().map(AppraisalChoice).collect())
    }
}

#[derive(Default)]
pub struct AppraisalChoiceMutation;

#[Object]
impl AppraisalChoiceMutation {
    /// Staff of the congress put candidate subjects to a vote of the members they name (VOTING); the
    /// members are told.
    async fn open_appraisal_choice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The vote, as `OpenAppraisalChoiceInput` describes it.")]
        input: OpenAppraisalChoiceInput,
    ) -> ApiResult<AppraisalChoice> {
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &input.congress_id)?;
        let mut candidates = Vec::with_capacity(input.candidates.len());
        for c in input.candidates {
            let unit_id = ids::decode(NodeKind::HandlingUnit, "candidates.unitId", &c.unit_id)?;
            let subject: SubjectInput = subject_input(c.subject)?;
            candidates.push(CandidateInput { unit_id, subject });
        }
        let voters = input
            .voter_deputy_ids
            .iter()
            .map(|d| ids::decode(NodeKind::Deputy, "voterDeputyIds", d))
            .collect::<ApiResult<Vec<_>>>()?;
        let open = OpenChoiceInput {
            congress_id,
            year: input.year,
            title: Label::parse("title", &input.title)?,
            seats: input.choose_up_to,
            candidates,
            voters,
        };
        Ok(AppraisalChoice(choice::open(&ctx.services()?.store, ctx.actor()?, open).await?))
    }

    /// A member named for the vote casts their secret ballot while VOTING: the candidates they choose, at
    /// most `chooseUpTo` (none is a blank ballot, which still counts towards the quorum). One ballot per
    /// member: a second is CONFLICT; a retry with the same `idempotencyKey` counts once.
    async fn cast_appraisal_choice_ballot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the vote.")] choice_id: ID,
        #[graphql(desc = "Global IDs of the candidates chosen.")] candidate_ids: Vec<ID>,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<AppraisalChoice> {
        let id = ids::decode(NodeKind::AppraisalChoice, "choiceId", &choice_id)?;
        if candidate_ids.len() > edaibiao_domain::appraisal::choice::MAX_CANDIDATES {
            return Err(crate::graphql::error::ApiError::bad_input("candidateIds", "too many candidates"));
        }
        let chosen = candidate_ids
            .iter()
            .map(|c| ids::decode(NodeKind::AppraisalCandidate, "candidateIds", c))
            .collect::<ApiResult<Vec<_>>>()?;
        let idem =
            idempotency_key.as_deref().map(|key| Idempotency { key, operation: "castAppraisalChoiceBallot" });
        let store = &ctx.services()?.store;
        Ok(AppraisalChoice(choice::cast(store, ctx.actor()?, id, chosen, idem).await?))
    }

    /// Staff close the vote (VOTING → CLOSED): each candidate's votes, rank and verdict are published to the
    /// congress; a candidate is chosen with the votes of more than half of all members named, within the
    /// number planned, and only with a quorum. The members and staff are told.
    async fn close_appraisal_choice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the vote.")] choice_id: ID,
    ) -> ApiResult<AppraisalChoice> {
        let id = ids::decode(NodeKind::AppraisalChoice, "choiceId", &choice_id)?;
        Ok(AppraisalChoice(choice::close(&ctx.services()?.store, ctx.actor()?, id).await?))
    }
}
