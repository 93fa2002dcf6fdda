//! Open legislation (开门立法) over GraphQL: staff publish calls for the legislative plan and drafts for
//! comment; deputies, citizens and the legislative contact points propose and comment; staff mark the
//! outcomes and publish new versions. Resolvers parse arguments and call one use case of
//! `edaibiao_infra::legislation`.

mod enums;
pub mod types;

pub use types::{DraftArticle, DraftComment, DraftLaw, LegislativeCall, LegislativeProposal};

use crate::auth::ClientAddress;
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::node::Node;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use edaibiao_domain::legislation::ArticleInput;
use edaibiao_domain::text::{Body, Title};
use edaibiao_infra::legislation::{
    self as store, NewCall, NewComment, NewDraft, NewProposal, NewVersion, PhoneComment,
};
use enums::{CommentOutcome, ProposalKind, ProposalOutcome};
use types::{DraftLawStatistics, LegislativeCallStatistics};
use uuid::Uuid;

fn call_id(id: &ID, field: &'static str) -> ApiResult<Uuid> {
    ids::decode(NodeKind::LegislativeCall, field, id)
}

fn draft_id(id: &ID, field: &'static str) -> ApiResult<Uuid> {
    ids::decode(NodeKind::DraftLaw, field, id)
}

fn article_id(id: Option<&ID>) -> ApiResult<Option<Uuid>> {
    id.map(|id| ids::decode(NodeKind::DraftArticle, "articleId", id)).transpose()
}

/// A call to publish.
#[derive(InputObject)]
pub struct PublishLegislativeCallInput {
    /// Global ID of the congress.
    pub congress_id: ID,
    /// Title, 1–100 characters.
    pub title: String,
    /// What the congress asks for, 1–20,000 characters.
    pub description: String,
    /// When proposals are first taken (default: now; not in the past).
    pub opens_at: Option<DateTime<Utc>>,
    /// When proposals are no longer taken: ahead, within a year of the opening.
    pub closes_at: DateTime<Utc>,
}

/// A proposal for a call's plan.
#[derive(InputObject)]
pub struct ProposeLegislationInput {
    /// Global ID of the call.
    pub call_id: ID,
    /// The law to make or amend, 1–100 characters.
    pub law_title: String,
    /// Make or amend.
    pub kind: ProposalKind,
    /// Why, 1–2,000 characters.
    pub reason: String,
}

/// One article as staff enter it.
#[derive(InputObject)]
pub struct DraftArticleInput {
    /// The chapter heading it stands under ("第一章 总则"), at most 100 characters; omitted without chapters.
    pub chapter: Option<String>,
    /// Its number as printed ("第一条"), 1–100 characters, unique in the version.
    pub number: String,
    /// Its text, 1–5,000 characters.
    pub text: String,
    /// In a new version: what changed ("新增", "删去第二款"), at most 2,000 characters.
    pub change_note: Option<String>,
    /// In a new version: global ID of the current version's article it continues (each at most once).
    pub based_on_id: Option<ID>,
}

fn parse_articles(articles: Vec<DraftArticleInput>) -> ApiResult<Vec<ArticleInput>> {
    if articles.len() > edaibiao_domain::legislation::MAX_ARTICLES {
        return Err(crate::graphql::error::ApiError::bad_input("articles", "at most 500 articles"));
    }
    let mut out = Vec::with_capacity(articles.len());
    for a in articles {
        let based_on = a
            .based_on_id
            .as_ref()
            .map(|id| ids::decode(NodeKind::DraftArticle, "basedOnId", id))
            .transpose()?;
        out.push(ArticleInput::parse(
            a.chapter.as_deref(),
            &a.number,
            &a.text,
            a.change_note.as_deref(),
            based_on,
        )?);
    }
    Ok(out)
}

fn parse_deputies(ids_in: &[ID]) -> ApiResult<Vec<Uuid>> {
    if ids_in.len() > edaibiao_domain::legislation::MAX_LINKED {
        return Err(crate::graphql::error::ApiError::bad_input("deputyIds", "at most 100"));
    }
    ids_in.iter().map(|id| ids::decode(NodeKind::Deputy, "deputyIds", id)).collect()
}

/// A draft to publish (version 1).
#[derive(InputObject)]
pub struct PublishDraftLawInput {
    /// Global ID of the congress.
    pub congress_id: ID,
    /// Title, 1–100 characters.
    pub title: String,
    /// What the draft is about and how to comment, 1–20,000 characters.
    pub description: String,
    /// When comments are first taken (default: now; not in the past).
    pub opens_at: Option<DateTime<Utc>>,
    /// When comments are no longer taken: ahead, within a year of the opening.
    pub closes_at: DateTime<Utc>,
    /// The articles in order, 1–500.
    pub articles: Vec<DraftArticleInput>,
    /// Global IDs of the deputies linked to it (挂钩联系), at most 100, of the congress.
    #[graphql(default)]
    pub linked_deputy_ids: Vec<ID>,
}

/// A new version of a draft.
#[derive(InputObject)]
pub struct PublishDraftLawVersionInput {
    /// Global ID of the draft.
    pub draft_id: ID,
    /// When comments on it are first taken (default: now).
    pub opens_at: Option<DateTime<Utc>>,
    /// When comments on it are no longer taken.
    pub closes_at: DateTime<Utc>,
    /// Its articles in order, 1–500, each with what changed.
    pub articles: Vec<DraftArticleInput>,
}

/// A comment by a signed-in deputy, citizen or contact point worker.
#[derive(InputObject)]
pub struct CommentOnDraftLawInput {
    /// Global ID of the draft.
    pub draft_id: ID,
    /// Global ID of an article of the current version; omitted for the whole draft.
    pub article_id: Option<ID>,
    /// The comment, 1–2,000 characters.
    pub content: String,
    /// A contact point's offline entry: how many people it stands for (1–100,000; default 1).
    pub offline_count: Option<i32>,
    /// A contact point's offline entry: where it was collected ("座谈会"), at most 200 characters.
    pub offline_source: Option<String>,
}

/// A comment by a citizen without an account.
#[derive(InputObject)]
pub struct CommentOnDraftLawByPhoneInput {
    /// Global ID of the draft.
    pub draft_id: ID,
    /// Global ID of an article of the current version; omitted for the whole draft.
    pub article_id: Option<ID>,
    /// The comment, 1–2,000 characters.
    pub content: String,
    /// The citizen's mobile phone number.
    pub phone: String,
    /// The 6-digit code sent to it by `requestDraftCommentCode`.
    pub code: String,
    /// Global ID of this phone's earlier comment on the draft to edit instead of adding one.
    pub comment_id: Option<ID>,
}

/// A one-time code was sent.
#[derive(SimpleObject)]
pub struct DraftCommentCodeSent {
    /// When the code expires (10 minutes).
    pub expires_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct LegislationQuery;

#[Object]
impl LegislationQuery {
    /// One call for the legislative plan (public).
    async fn legislative_call(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the call.")] id: ID,
    ) -> ApiResult<LegislativeCall> {
        let found = store::call_for(&ctx.services()?.store, ctx.actor_opt(), call_id(&id, "id")?).await?;
        Ok(LegislativeCall(found))
    }

    /// A congress's calls in the order they were published (public).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn legislative_calls(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<LegislativeCall>> {
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let request = page_request(first, after)?;
        let page = store::calls(&ctx.services()?.store, ctx.actor_opt(), congress, request).await?;
        Ok(connection(page, request, |c| c.id, LegislativeCall))
    }

    /// One proposal: for staff of the congress and the proposer; NOT_FOUND otherwise.
    async fn legislative_proposal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the proposal.")] id: ID,
    ) -> ApiResult<LegislativeProposal> {
        let id = ids::decode(NodeKind::LegislativeProposal, "id", &id)?;
        Ok(LegislativeProposal(store::proposal_for(&ctx.services()?.store, ctx.actor_opt(), id).await?))
    }

    /// One draft law (public).
    async fn draft_law(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the draft.")] id: ID,
    ) -> ApiResult<DraftLaw> {
        let found = store::draft_for(&ctx.services()?.store, ctx.actor_opt(), draft_id(&id, "id")?).await?;
        Ok(DraftLaw(found))
    }

    /// A congress's drafts in the order they were published (public).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn draft_laws(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<DraftLaw>> {
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let request = page_request(first, after)?;
        let page = store::drafts(&ctx.services()?.store, ctx.actor_opt(), congress, request).await?;
        Ok(connection(page, request, |d| d.id, DraftLaw))
    }

    /// One comment on a draft (public; who made it for staff only). A citizen who commented with a phone
    /// looks its outcome up here by the ID `commentOnDraftLawByPhone` returned.
    async fn draft_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the comment.")] id: ID,
    ) -> ApiResult<DraftComment> {
        let services = ctx.services()?;
        let id = ids::decode(NodeKind::DraftComment, "id", &id)?;
        Ok(DraftComment(
            store::comment_for(&services.store, &services.opinions.vault, ctx.actor_opt(), id).await?,
        ))
    }

    /// A call's proposals counted by outcome, source kind and kind (staff of the congress only). Also
    /// `GET /exports/legislative-call-statistics.csv?callId=…`.
    async fn legislative_call_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the call.")] call_id: ID,
    ) -> ApiResult<LegislativeCallStatistics> {
        let (call, stats) =
            store::call_statistics(&ctx.services()?.store, ctx.actor()?, self::call_id(&call_id, "callId")?)
                .await?;
        Ok(LegislativeCallStatistics::from_store(call, stats))
    }

    /// A draft's comments counted by outcome, source kind and article (staff of the congress only). Also
    /// `GET /exports/draft-law-statistics.csv?draftId=…`.
    async fn draft_law_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the draft.")] draft_id: ID,
        #[graphql(desc = "Only this version; all versions when omitted.")] version: Option<i32>,
    ) -> ApiResult<DraftLawStatistics> {
        let id = self::draft_id(&draft_id, "draftId")?;
        let (draft, stats) =
            store::draft_statistics(&ctx.services()?.store, ctx.actor()?, id, version).await?;
        Ok(DraftLawStatistics::from_store(draft, version, stats))
    }
}

#[derive(Default)]
pub struct LegislationMutation;

#[Object]
impl LegislationMutation {
    /// Staff publish a call for the legislative plan with its period; the congress's deputies are told
    /// (`LEGISLATION_CALL_PUBLISHED`). A retry with the same `idempotencyKey` returns the first call.
    async fn publish_legislative_call(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The call.")] input: PublishLegislativeCallInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not publish twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<LegislativeCall> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let call = NewCall {
            congress_id: ids::decode(NodeKind::Congress, "congressId", &input.congress_id)?,
            title: Title::parse("title", &input.title)?,
            description: Body::parse("description", &input.description)?,
            opens_at: input.opens_at,
            closes_at: input.closes_at,
        };
        Ok(LegislativeCall(
            store::publish_call(&services.store, actor, call, idempotency_key.as_deref()).await?,
        ))
    }

    /// Staff close a call's period now (CONFLICT if it is over already).
    async fn close_legislative_call(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the call.")] id: ID,
    ) -> ApiResult<LegislativeCall> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        Ok(LegislativeCall(store::close_call(&services.store, actor, call_id(&id, "id")?).await?))
    }

    /// A deputy of the congress or a citizen with an account proposes a law to make or amend while the call
    /// is open (BAD_USER_INPUT on `period` otherwise). At most 10 submissions an hour per account
    /// (RATE_LIMITED). A deputy's proposal enters their duty archive. A retry with the same
    /// `idempotencyKey` returns the first proposal.
    async fn propose_legislation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The proposal.")] input: ProposeLegislationInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not propose twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<LegislativeProposal> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let proposal = NewProposal {
            call_id: call_id(&input.call_id, "callId")?,
            law_title: Title::parse("lawTitle", &input.law_title)?,
            kind: input.kind.into(),
            reason: input.reason,
        };
        Ok(LegislativeProposal(
            store::propose(&services.store, actor, proposal, idempotency_key.as_deref()).await?,
        ))
    }

    /// Staff mark a proposal TAKEN into the plan, MERGED or NOT_TAKEN, with a reason the proposer reads
    /// (required but for TAKEN); the proposer is told (`LEGISLATION_PROPOSAL_MARKED`). Once: CONFLICT after;
    /// a retry with the same `idempotencyKey` answers as the first.
    async fn mark_legislative_proposal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the proposal.")] id: ID,
        #[graphql(desc = "TAKEN, MERGED or NOT_TAKEN.")] outcome: ProposalOutcome,
        #[graphql(desc = "Why, at most 2,000 characters.")] reason: Option<String>,
        #[graphql(desc = "The phone's key for this request.")] idempotency_key: Option<String>,
    ) -> ApiResult<LegislativeProposal> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let id = ids::decode(NodeKind::LegislativeProposal, "id", &id)?;
        let marked = store::mark_proposal(
            &services.store,
            actor,
            id,
            outcome.into(),
            reason.as_deref(),
            idempotency_key.as_deref(),
        )
        .await?;
        Ok(LegislativeProposal(marked))
    }

    /// Staff publish a draft law as numbered articles with a comment period (version 1) and its linked
    /// deputies, who are told (`LEGISLATION_DRAFT_STAGE`). A retry with the same `idempotencyKey` returns
    /// the first draft.
    async fn publish_draft_law(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The draft.")] input: PublishDraftLawInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not publish twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<DraftLaw> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let draft = NewDraft {
            congress_id: ids::decode(NodeKind::Congress, "congressId", &input.congress_id)?,
            title: Title::parse("title", &input.title)?,
            description: Body::parse("description", &input.description)?,
            opens_at: input.opens_at,
            closes_at: input.closes_at,
            linked: parse_deputies(&input.linked_deputy_ids)?,
            articles: parse_articles(input.articles)?,
        };
        Ok(DraftLaw(store::publish_draft(&services.store, actor, draft, idempotency_key.as_deref()).await?))
    }

    /// Staff set (replace) the deputies linked to a draft (挂钩联系), at most 100; they are told.
    async fn link_draft_law_deputies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the draft.")] draft_id: ID,
        #[graphql(desc = "Global IDs of the deputies, of the draft's congress.")] deputy_ids: Vec<ID>,
    ) -> ApiResult<DraftLaw> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let deputies = parse_deputies(&deputy_ids)?;
        Ok(DraftLaw(
            store::link_deputies(&services.store, actor, self::draft_id(&draft_id, "draftId")?, deputies)
                .await?,
        ))
    }

    /// Staff close the current version's comment period now (CONFLICT if over already); the linked
    /// deputies are told.
    async fn close_draft_law_comments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the draft.")] id: ID,
    ) -> ApiResult<DraftLaw> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        Ok(DraftLaw(store::close_draft(&services.store, actor, draft_id(&id, "id")?).await?))
    }

    /// Staff publish a new version once the current one's period is over (CONFLICT before): its articles,
    /// each continuing at most one article of the current version with what changed, and a new period.
    /// Comments stay with the version they were made on. The linked deputies are told.
    async fn publish_draft_law_version(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new version.")] input: PublishDraftLawVersionInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not publish twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<DraftLaw> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let version = NewVersion {
            draft_id: draft_id(&input.draft_id, "draftId")?,
            opens_at: input.opens_at,
            closes_at: input.closes_at,
            articles: parse_articles(input.articles)?,
        };
        Ok(DraftLaw(
            store::publish_version(&services.store, actor, version, idempotency_key.as_deref()).await?,
        ))
    }

    /// A deputy of the congress, a citizen with an account, or a worker of a legislative contact point of the
    /// congress (entering what it collected offline, with `offlineCount` and `offlineSource`) comments on an
    /// article of the current version or the whole draft while its period is open (BAD_USER_INPUT on
    /// `period` otherwise). One comment per article per person per version: a second is CONFLICT (edit the
    /// first with `editDraftComment`); a contact point enters as many as it collected. Deputies and citizens:
    /// at most 10 an hour (RATE_LIMITED). A deputy's first comment on a draft enters their duty archive. A
    /// retry with the same `idempotencyKey` returns the first comment.
    async fn comment_on_draft_law(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comment.")] input: CommentOnDraftLawInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not comment twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<DraftComment> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let comment = NewComment {
            draft_id: draft_id(&input.draft_id, "draftId")?,
            article_id: article_id(input.article_id.as_ref())?,
            content: input.content,
            offline_count: input.offline_count,
            offline_source: input.offline_source,
        };
        let made = store::comment(
            &services.store,
            &services.opinions.vault,
            actor,
            comment,
            idempotency_key.as_deref(),
        )
        .await?;
        Ok(DraftComment(made))
    }

    /// The author edits their comment while its version's period is open and it is not marked.
    async fn edit_draft_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the comment.")] id: ID,
        #[graphql(desc = "The comment as it is to be, 1–2,000 characters.")] content: String,
    ) -> ApiResult<DraftComment> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let id = ids::decode(NodeKind::DraftComment, "id", &id)?;
        Ok(DraftComment(
            store::edit_comment(&services.store, &services.opinions.vault, actor, id, &content).await?,
        ))
    }

    /// Public, no login: sends a 6-digit one-time code by SMS to comment on a draft whose period is open
    /// (valid 10 minutes), once the citizen agreed to `privacyNotice(purpose: DRAFT_COMMENT)` (recorded with
    /// the code). RATE_LIMITED when asked too often (3 per phone in 10 minutes, 30 per address an hour).
    async fn request_draft_comment_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the draft.")] draft_id: ID,
        #[graphql(desc = "The citizen's mobile phone number to send the code to.")] phone: String,
        #[graphql(
            desc = "The version of `privacyNotice(purpose: DRAFT_COMMENT)` the citizen was shown and agreed to; \
                          required (BAD_USER_INPUT on `privacyConsent` without it or with an older one)."
        )]
        privacy_consent: Option<String>,
    ) -> ApiResult<DraftCommentCodeSent> {
        let address = ctx.data_opt::<ClientAddress>().map_or("unknown", |a| a.0.as_str());
        let services = ctx.services()?;
        let expires_at = store::request_code(
            &services.store,
            &services.opinions.vault,
            services.sms.as_ref(),
            self::draft_id(&draft_id, "draftId")?,
            &phone,
            privacy_consent.as_deref(),
            address,
        )
        .await?;
        Ok(DraftCommentCodeSent { expires_at })
    }

    /// Public, no login: a citizen comments with the code sent to their phone (or, with `commentId`, edits
    /// their earlier comment). One comment per article per phone per version (CONFLICT); limits as for
    /// citizens' opinions (10 an hour per address, 5 a day per phone; RATE_LIMITED); a wrong or expired code
    /// is BAD_USER_INPUT. The phone is kept sealed and shown to staff only. The comment's ID is the citizen's
    /// key to its outcome (`draftComment`). A retry with the same `idempotencyKey` from the same address
    /// returns the first comment.
    async fn comment_on_draft_law_by_phone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comment.")] input: CommentOnDraftLawByPhoneInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not comment twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<DraftComment> {
        let address = ctx.data_opt::<ClientAddress>().map_or("unknown", |a| a.0.as_str());
        let services = ctx.services()?;
        let comment = PhoneComment {
            draft_id: draft_id(&input.draft_id, "draftId")?,
            article_id: article_id(input.article_id.as_ref())?,
            content: input.content,
            phone: edaibiao_domain::account::Phone::parse(&input.phone)?,
            code: input.code,
            comment_id: input
                .comment_id
                .as_ref()
                .map(|id| ids::decode(NodeKind::DraftComment, "commentId", id))
                .transpose()?,
        };
        let made = store::comment_by_phone(
            &services.store,
            &services.opinions.vault,
            comment,
            address,
            idempotency_key.as_deref(),
        )
        .await?;
        Ok(DraftComment(made))
    }

    /// Staff mark a comment ADOPTED, PARTLY_ADOPTED or NOT_ADOPTED (with a reason, required but for ADOPTED)
    /// once its version's period is over (CONFLICT before, and after it was marked); the commenter is told
    /// (`LEGISLATION_COMMENT_MARKED`: an account holder, or the contact point's workers; a phone commenter
    /// reads it on the draft's page). A retry with the same `idempotencyKey` answers as the first.
    async fn mark_draft_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the comment.")] id: ID,
        #[graphql(desc = "ADOPTED, PARTLY_ADOPTED or NOT_ADOPTED.")] outcome: CommentOutcome,
        #[graphql(desc = "Why, at most 2,000 characters.")] reason: Option<String>,
        #[graphql(desc = "The phone's key for this request.")] idempotency_key: Option<String>,
    ) -> ApiResult<DraftComment> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let id = ids::decode(NodeKind::DraftComment, "id", &id)?;
        let marked = store::mark_comment(
            &services.store,
            &services.opinions.vault,
            actor,
            id,
            outcome.into(),
            reason.as_deref(),
            idempotency_key.as_deref(),
        )
        .await?;
        Ok(DraftComment(marked))
    }
}

/// Loads an open-legislation node for `node(id)` with the visibility of the field it comes from; null when
/// the viewer may not see it or it does not exist.
pub async fn node(ctx: &Context<'_>, kind: NodeKind, id: Uuid) -> ApiResult<Option<Node>> {
    let services = ctx.services()?;
    let (store_, vault, actor) = (&services.store, &services.opinions.vault, ctx.actor_opt());
    let found = match kind {
        NodeKind::LegislativeCall => store::call_for(store_, actor, id)
            .await
            .map(|c| Node::LegislativeCall(Box::new(LegislativeCall(c)))),
        NodeKind::LegislativeProposal => store::proposal_for(store_, actor, id)
            .await
            .map(|p| Node::LegislativeProposal(Box::new(LegislativeProposal(p)))),
        NodeKind::DraftLaw => {
            store::draft_for(store_, actor, id).await.map(|d| Node::DraftLaw(Box::new(DraftLaw(d))))
        }
        NodeKind::DraftArticle => {
            store::article_for(store_, id).await.map(|a| Node::DraftArticle(Box::new(DraftArticle(a))))
        }
        NodeKind::DraftComment => store::comment_for(store_, vault, actor, id)
            .await
            .map(|c| Node::DraftComment(Box::new(DraftComment(c)))),
        _ => return Ok(None),
    };
    match found {
        Ok(node) => Ok(Some(node)),
        Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
