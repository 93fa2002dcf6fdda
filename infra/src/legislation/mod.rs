//! Open legislation (开门立法) in storage: calls for the legislative plan and their proposals, drafts for
//! comment with their versions, articles and comments, the deputies linked to a draft (see the domain's
//! `legislation` module for the rules).
//!
//! Every change is one transaction on the one path (`transaction::run` / `run_once`): it locks the call or
//! the draft (so a submission and the close of the period never interleave, and "one comment per article
//! per person per version" is checked under the lock, backed by a unique index), asks the domain's table,
//! writes, saves with a compare-and-set on the version where a record changes, appends the step to the
//! timeline (`legislation_events`), writes the notifications and, for a deputy's proposal or first comment
//! on a draft, the deputy's duty archive entry, all in the same transaction.
//!
//! Duty archive: a deputy's proposal, and a deputy's first comment on a draft (linked or not), enter the
//! deputy's archive as a VERIFIED entry (`duty_entries`, counted like other verified entries), recorded by
//! the system in the same transaction; further comments on the same draft add no entry.

mod query;

pub use query::{
    Article, Call, CallStatistics, Comment, CommentFilter, Draft, DraftStatistics, Event, Identity, Proposal,
    Version, article_for, articles, call_for, call_statistics, calls, comment_for, comments, comments_among,
    draft_for, draft_statistics, drafts, drafts_among, linked, proposal_count, proposal_for, proposals,
    proposals_among, timeline, versions,
};

use crate::entity::{
    deputy, draft_article, draft_comment, draft_law, draft_law_link, draft_version, duty_entry,
    legislation_event, legislative_call, legislative_proposal,
};
use crate::error::{Result, stored};
use crate::idempotency::{self, Idempotency};
use crate::notifications::tell_about as tell;
use crate::one_time_code::{self, CodeKind};
use crate::sms::SmsSender;
use crate::throttle::{self, Throttle};
use crate::transaction::{self, Key, Once};
use crate::vault::Vault;
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Phone};
use edaibiao_domain::duty::record::EntryStatus;
use edaibiao_domain::legislation::{
    self as dom, Action, ArticleInput, CommentOutcome, Period, Phase, ProposalKind, ProposalOutcome,
    SourceKind, Standing, kinds,
};
use edaibiao_domain::notification::Audience;
use edaibiao_domain::privacy::{Consent, PrivacyPurpose};
use edaibiao_domain::search::SearchKind;
use edaibiao_domain::text::{Body, Title};
use edaibiao_domain::time::cst_date;
use query::{call_of, linked_ids, standing};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// Subject kinds of notifications (the GraphQL types they are about).
pub const CALL_SUBJECT: &str = "LegislativeCall";
pub const PROPOSAL_SUBJECT: &str = "LegislativeProposal";
pub const DRAFT_SUBJECT: &str = "DraftLaw";
pub const COMMENT_SUBJECT: &str = "DraftComment";

/// What staff publish as a call.
#[derive(Debug, Clone)]
pub struct NewCall {
    pub congress_id: Uuid,
    pub title: Title,
    pub description: Body,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
}

/// What a deputy or citizen proposes.
#[derive(Debug, Clone)]
pub struct NewProposal {
    pub call_id: Uuid,
    pub law_title: Title,
    pub kind: ProposalKind,
    /// Checked by [`dom::text`].
    pub reason: String,
}

/// What staff publish as a draft.
#[derive(Debug, Clone)]
pub struct NewDraft {
    pub congress_id: Uuid,
    pub title: Title,
    pub description: Body,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    pub articles: Vec<ArticleInput>,
    pub linked: Vec<Uuid>,
}

/// A new version of a draft.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub draft_id: Uuid,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    pub articles: Vec<ArticleInput>,
}

/// A comment by a signed-in deputy, citizen or contact point worker.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub draft_id: Uuid,
    /// `None`: on the whole draft.
    pub article_id: Option<Uuid>,
    /// Checked by [`dom::text`].
    pub content: String,
    /// A contact point's offline collection: how many people, from where.
    pub offline_count: Option<i32>,
    pub offline_source: Option<String>,
}

/// A comment by a citizen without an account, with the code sent to their phone.
#[derive(Debug, Clone)]
pub struct PhoneComment {
    pub draft_id: Uuid,
    pub article_id: Option<Uuid>,
    pub content: String,
    /// Masked in debug output, never logged.
    pub phone: Phone,
    pub code: String,
    /// Edit this earlier comment of the same phone instead of adding one.
    pub comment_id: Option<Uuid>,
}

fn key<'a>(actor: &Actor, idempotency: Option<&'a Idempotency<'a>>, result: Uuid) -> Option<Key<'a>> {
    idempotency.map(|idempotency| Key { owner: actor.user_id, idempotency, result })
}

fn id_of(done: Once<Uuid>) -> Uuid {
    match done {
        Once::Done(id) | Once::Replayed(id) => id,
    }
}

/// Appends a step to the timeline of `subject_id`.
async fn event(
    db: &impl ConnectionTrait,
    subject_id: Uuid,
    kind: &str,
    actor: Option<Uuid>,
    note: Option<String>,
) -> Result<()> {
    let row = legislation_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        subject_id: Set(subject_id),
        kind: Set(kind.to_owned()),
        actor_id: Set(actor),
        note: Set(note),
        at: Set(Utc::now()),
    };
    legislation_event::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

/// Tells the deputies linked to a draft of a stage.
async fn tell_linked(
    db: &impl ConnectionTrait,
    actor: &Actor,
    draft: &draft_law::Model,
    title: &str,
) -> Result<()> {
    let audience: Vec<Audience> = linked_ids(db, draft.id).await?.into_iter().map(Audience::Deputy).collect();
    tell(
        db,
        &audience,
        kinds::DRAFT_STAGE,
        title,
        Some(draft.title.clone()),
        (DRAFT_SUBJECT, draft.id),
        Some(actor.user_id),
    )
    .await
}

/// A system-recorded, verified entry in a deputy's duty archive, with id `id` (the proposal's or the
/// first comment's). Nothing when the entry exists already.
async fn archive(
    db: &impl ConnectionTrait,
    actor: &Actor,
    congress_id: Uuid,
    deputy_id: Uuid,
    id: Uuid,
    title: String,
    note: &str,
) -> Result<()> {
    let now = Utc::now();
    let row = duty_entry::ActiveModel {
        id: Set(id),
        congress_id: Set(congress_id),
        deputy_id: Set(deputy_id),
        title: Set(title.chars().take(edaibiao_domain::duty::record::MAX_ENTRY_TITLE_CHARS).collect()),
        note: Set(note.chars().take(edaibiao_domain::duty::record::MAX_ENTRY_NOTE_CHARS).collect()),
        happened_on: Set(cst_date(now)),
        attachment_url: Set(None),
        status: Set(EntryStatus::Verified.as_str().to_owned()),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        decided_by: Set(None),
        decided_at: Set(Some(now)),
        reason: Set(Some("开门立法：系统记录".to_owned())),
        version: Set(1),
        kind: Set(None),
    };
    duty_entry::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

/// Checks that `deputies` are deputies of `congress_id`.
async fn check_deputies(db: &impl ConnectionTrait, congress_id: Uuid, deputies: &[Uuid]) -> Result<()> {
    if deputies.is_empty() {
        return Ok(());
    }
    let found = deputy::Entity::find()
        .filter(deputy::Column::Id.is_in(deputies.to_vec()))
        .filter(deputy::Column::CongressId.eq(congress_id))
        .count(db)
        .await?;
    if usize::try_from(found).unwrap_or_default() != deputies.len() {
        return Err(DomainError::invalid("deputyIds", "are not all deputies of the congress").into());
    }
    Ok(())
}

async fn set_links(db: &impl ConnectionTrait, draft_id: Uuid, deputies: &[Uuid]) -> Result<()> {
    draft_law_link::Entity::delete_many()
        .filter(draft_law_link::Column::DraftId.eq(draft_id))
        .exec(db)
        .await?;
    if !deputies.is_empty() {
        draft_law_link::Entity::insert_many(
            deputies
                .iter()
                .map(|d| draft_law_link::ActiveModel { draft_id: Set(draft_id), deputy_id: Set(*d) }),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Indexes a draft law for search: its title, and its description with the articles of its current
/// version.
async fn index_draft(
    db: &impl ConnectionTrait,
    draft: (Uuid, Uuid, &str, &str),
    articles: &[ArticleInput],
    at: DateTime<Utc>,
) -> Result<()> {
    let (id, congress_id, title, description) = draft;
    let body = edaibiao_domain::search::draft_body(
        description,
        articles.iter().map(|a| (a.number.as_str(), a.text.as_str())),
    );
    let doc = crate::search::Indexed {
        kind: SearchKind::DraftLaw,
        item_id: id,
        congress_id,
        title,
        body: &body,
        at,
    };
    crate::search::index(db, doc).await
}

/// Indexes a comment on a draft law for search: its text, never who made it.
async fn index_comment(
    db: &impl ConnectionTrait,
    draft: &draft_law::Model,
    id: Uuid,
    content: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let title = edaibiao_domain::search::comment_title(&draft.title);
    let doc = crate::search::Indexed {
        kind: SearchKind::DraftComment,
        item_id: id,
        congress_id: draft.congress_id,
        title: &title,
        body: content,
        at,
    };
    crate::search::index(db, doc).await
}

async fn insert_articles(
    db: &impl ConnectionTrait,
    draft_id: Uuid,
    version: i32,
    articles: &[ArticleInput],
) -> Result<()> {
    let rows: Vec<_> = articles
        .iter()
        .enumerate()
        .map(|(position, a)| draft_article::ActiveModel {
            id: Set(Uuid::now_v7()),
            draft_id: Set(draft_id),
            draft_version: Set(version),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            chapter: Set(a.chapter.clone()),
            number: Set(a.number.clone()),
            text: Set(a.text.clone()),
            change_note: Set(a.change_note.clone()),
            based_on: Set(a.based_on),
        })
        .collect();
    draft_article::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

// ---- Calls and proposals ----

/// Staff publish a call with its period; the congress's deputies are told.
pub async fn publish_call(
    store: &Store,
    actor: &Actor,
    input: NewCall,
    idempotency_key: Option<&str>,
) -> Result<Call> {
    if !actor.is_staff_of(input.congress_id) {
        return Err(DomainError::forbidden("only staff of the congress publish a call").into());
    }
    let now = Utc::now();
    let period = Period::new(input.opens_at, input.closes_at, now)?;
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "publishLegislativeCall" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let row = legislative_call::ActiveModel {
            id: Set(id),
            congress_id: Set(input.congress_id),
            title: Set(input.title.as_str().to_owned()),
            description: Set(input.description.as_str().to_owned()),
            opens_at: Set(period.opens_at),
            closes_at: Set(period.closes_at),
            created_by: Set(actor.user_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        };
        legislative_call::Entity::insert(row).exec_without_returning(txn).await?;
        event(txn, id, "PUBLISHED", Some(actor.user_id), Some(input.title.as_str().to_owned())).await?;
        tell(
            txn,
            &[Audience::Deputies(input.congress_id)],
            kinds::CALL_PUBLISHED,
            "立法规划建议项目征集开始",
            Some(input.title.as_str().to_owned()),
            (CALL_SUBJECT, id),
            Some(actor.user_id),
        )
        .await?;
        Ok(id)
    })
    .await?;
    call_for(store, Some(actor), id_of(done)).await
}

/// Locks a call and checks `action` for `actor`.
async fn lock_call(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
    action: Action,
) -> Result<(legislative_call::Model, Standing)> {
    let row = transaction::lock::<legislative_call::Entity>(txn, id).await?;
    let who = standing(txn, Some(actor), row.congress_id).await?;
    let period = Period { opens_at: row.opens_at, closes_at: row.closes_at };
    dom::decide(action, period.phase(Utc::now()), who)?;
    Ok((row, who))
}

/// Staff close a call's period now.
pub async fn close_call(store: &Store, actor: &Actor, id: Uuid) -> Result<Call> {
    let row = transaction::run(store, async |txn| {
        let (row, who) = lock_call(txn, actor, id, Action::Close).await?;
        let now = Utc::now();
        let update = legislative_call::Entity::update_many()
            .col_expr(legislative_call::Column::ClosesAt, Expr::value(now))
            .col_expr(legislative_call::Column::OpensAt, Expr::value(row.opens_at.min(now)))
            .col_expr(legislative_call::Column::UpdatedAt, Expr::value(now));
        transaction::save(txn, row.id, row.version, row.version + 1, update).await?;
        event(txn, id, "CLOSED", Some(actor.user_id), None).await?;
        let saved = legislative_call::Entity::find_by_id(id).one(txn).await?.ok_or("legislative call")?;
        Ok((saved, who))
    })
    .await?;
    Ok(call_of(row.0, row.1, Some(actor.user_id)))
}

/// A deputy or citizen proposes a law while the call is open. Limited like citizens' opinions (per
/// account); a deputy's proposal enters their duty archive.
pub async fn propose(
    store: &Store,
    actor: &Actor,
    input: NewProposal,
    idempotency_key: Option<&str>,
) -> Result<Proposal> {
    let reason = dom::text("reason", &input.reason)?;
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "proposeLegislation" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (call, who) = lock_call(txn, actor, input.call_id, Action::Propose).await?;
        let (per_account, _) = dom::submission_limits();
        Throttle::new("legislation-submit-account", &actor.user_id.to_string(), per_account)
            .hit(&store.cache)
            .await?;
        let source =
            who.source().ok_or_else(|| DomainError::forbidden("only deputies and citizens propose"))?;
        let deputy_id = match who {
            Standing::Deputy(d) => Some(d),
            _ => None,
        };
        let now = Utc::now();
        let row = legislative_proposal::ActiveModel {
            id: Set(id),
            call_id: Set(call.id),
            congress_id: Set(call.congress_id),
            source_kind: Set(source.as_str().to_owned()),
            account_id: Set(actor.user_id),
            deputy_id: Set(deputy_id),
            law_title: Set(input.law_title.as_str().to_owned()),
            kind: Set(input.kind.as_str().to_owned()),
            reason: Set(reason.clone()),
            outcome: Set(ProposalOutcome::Pending.as_str().to_owned()),
            outcome_reason: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            created_at: Set(now),
            version: Set(1),
        };
        legislative_proposal::Entity::insert(row).exec_without_returning(txn).await?;
        let doc = crate::search::Indexed {
            kind: SearchKind::LegislativeProposal,
            item_id: id,
            congress_id: call.congress_id,
            title: input.law_title.as_str(),
            body: &reason,
            at: now,
        };
        crate::search::index(txn, doc).await?;
        if let Some(deputy_id) = deputy_id {
            let title = format!("提出立法建议项目：{}", input.law_title.as_str());
            archive(txn, actor, call.congress_id, deputy_id, id, title, &reason).await?;
        }
        Ok(id)
    })
    .await?;
    proposal_for(store, Some(actor), id_of(done)).await
}

/// Staff mark a proposal taken into the plan, merged or not taken, with a reason the proposer reads; the
/// proposer is told. Once (CONFLICT after); a retry with the same key answers as the first.
pub async fn mark_proposal(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    outcome: ProposalOutcome,
    reason: Option<&str>,
    idempotency_key: Option<&str>,
) -> Result<Proposal> {
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "markLegislativeProposal" });
    transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let proposal = transaction::lock::<legislative_proposal::Entity>(txn, id).await?;
        let (call, _) = lock_call(txn, actor, proposal.call_id, Action::MarkProposal).await?;
        let current = stored("outcome", id, ProposalOutcome::parse(&proposal.outcome))?;
        let reason = dom::check_proposal_outcome(current, outcome, reason)?;
        let now = Utc::now();
        let update = legislative_proposal::Entity::update_many()
            .col_expr(legislative_proposal::Column::Outcome, Expr::value(outcome.as_str()))
            .col_expr(legislative_proposal::Column::OutcomeReason, Expr::value(reason.clone()))
            .col_expr(legislative_proposal::Column::DecidedBy, Expr::value(actor.user_id))
            .col_expr(legislative_proposal::Column::DecidedAt, Expr::value(now));
        transaction::save(txn, id, proposal.version, proposal.version + 1, update).await?;
        event(txn, call.id, "PROPOSAL_MARKED", Some(actor.user_id), Some(outcome.as_str().to_owned()))
            .await?;
        tell(
            txn,
            &[Audience::Account(proposal.account_id)],
            kinds::PROPOSAL_MARKED,
            "您的立法建议项目已有处理结果",
            Some(proposal.law_title.clone()),
            (PROPOSAL_SUBJECT, id),
            Some(actor.user_id),
        )
        .await?;
        Ok(())
    })
    .await?;
    proposal_for(store, Some(actor), id).await
}

// ---- Drafts ----

/// Staff publish a draft as numbered articles with a comment period (version 1), and its linked deputies;
/// the linked deputies are told.
pub async fn publish_draft(
    store: &Store,
    actor: &Actor,
    input: NewDraft,
    idempotency_key: Option<&str>,
) -> Result<Draft> {
    if !actor.is_staff_of(input.congress_id) {
        return Err(DomainError::forbidden("only staff of the congress publish a draft").into());
    }
    let now = Utc::now();
    let period = Period::new(input.opens_at, input.closes_at, now)?;
    dom::check_articles(&input.articles)?;
    if input.articles.iter().any(|a| a.based_on.is_some()) {
        return Err(DomainError::invalid("articles", "a first version continues no earlier article").into());
    }
    let linked = dom::check_links(input.linked.clone())?;
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "publishDraftLaw" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        check_deputies(txn, input.congress_id, &linked).await?;
        let row = draft_law::ActiveModel {
            id: Set(id),
            congress_id: Set(input.congress_id),
            title: Set(input.title.as_str().to_owned()),
            description: Set(input.description.as_str().to_owned()),
            current_version: Set(1),
            opens_at: Set(period.opens_at),
            closes_at: Set(period.closes_at),
            created_by: Set(actor.user_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        };
        let saved = draft_law::Entity::insert(row).exec_with_returning(txn).await?;
        draft_version::Entity::insert(draft_version::ActiveModel {
            draft_id: Set(id),
            number: Set(1),
            opens_at: Set(period.opens_at),
            closes_at: Set(period.closes_at),
            published_by: Set(actor.user_id),
            published_at: Set(now),
        })
        .exec_without_returning(txn)
        .await?;
        insert_articles(txn, id, 1, &input.articles).await?;
        let text = (id, input.congress_id, input.title.as_str(), input.description.as_str());
        index_draft(txn, text, &input.articles, now).await?;
        set_links(txn, id, &linked).await?;
        event(txn, id, "PUBLISHED", Some(actor.user_id), Some("1".to_owned())).await?;
        tell_linked(txn, actor, &saved, "您挂钩联系的法规草案开始征求意见").await?;
        Ok(id)
    })
    .await?;
    draft_for(store, Some(actor), id_of(done)).await
}

/// Locks a draft and checks `action` for `actor` against the current version's period.
async fn lock_draft(
    txn: &DatabaseTransaction,
    actor: Option<&Actor>,
    phone: bool,
    id: Uuid,
    action: Action,
) -> Result<(draft_law::Model, Standing)> {
    let row = transaction::lock::<draft_law::Entity>(txn, id).await?;
    let who = if phone { Standing::Phone } else { standing(txn, actor, row.congress_id).await? };
    let period = Period { opens_at: row.opens_at, closes_at: row.closes_at };
    dom::decide(action, period.phase(Utc::now()), who)?;
    Ok((row, who))
}

/// Staff set (replace) the deputies linked to a draft; the linked deputies are told.
pub async fn link_deputies(
    store: &Store,
    actor: &Actor,
    draft_id: Uuid,
    deputies: Vec<Uuid>,
) -> Result<Draft> {
    let deputies = dom::check_links(deputies)?;
    transaction::run(store, async |txn| {
        let (row, _) = lock_draft(txn, Some(actor), false, draft_id, Action::Link).await?;
        check_deputies(txn, row.congress_id, &deputies).await?;
        set_links(txn, draft_id, &deputies).await?;
        let update =
            draft_law::Entity::update_many().col_expr(draft_law::Column::UpdatedAt, Expr::value(Utc::now()));
        transaction::save(txn, row.id, row.version, row.version + 1, update).await?;
        event(txn, draft_id, "LINKED", Some(actor.user_id), Some(deputies.len().to_string())).await?;
        tell_linked(txn, actor, &row, "您已挂钩联系一部法规草案").await
    })
    .await?;
    draft_for(store, Some(actor), draft_id).await
}

/// Staff close the current version's comment period now; the linked deputies are told.
pub async fn close_draft(store: &Store, actor: &Actor, id: Uuid) -> Result<Draft> {
    transaction::run(store, async |txn| {
        let (row, _) = lock_draft(txn, Some(actor), false, id, Action::Close).await?;
        let now = Utc::now();
        let opens_at = row.opens_at.min(now);
        let update = draft_law::Entity::update_many()
            .col_expr(draft_law::Column::ClosesAt, Expr::value(now))
            .col_expr(draft_law::Column::OpensAt, Expr::value(opens_at))
            .col_expr(draft_law::Column::UpdatedAt, Expr::value(now));
        transaction::save(txn, row.id, row.version, row.version + 1, update).await?;
        draft_version::Entity::update_many()
            .col_expr(draft_version::Column::ClosesAt, Expr::value(now))
            .col_expr(draft_version::Column::OpensAt, Expr::value(opens_at))
            .filter(draft_version::Column::DraftId.eq(id))
            .filter(draft_version::Column::Number.eq(row.current_version))
            .exec(txn)
            .await?;
        event(txn, id, "CLOSED", Some(actor.user_id), Some(row.current_version.to_string())).await?;
        tell_linked(txn, actor, &row, "您挂钩联系的法规草案征求意见结束").await
    })
    .await?;
    draft_for(store, Some(actor), id).await
}

/// Staff publish a new version once the current one's period is over: its articles (each continuing at
/// most one article of the previous version, with what changed) and a new period. Comments stay with the
/// version they were made on. The linked deputies are told.
pub async fn publish_version(
    store: &Store,
    actor: &Actor,
    input: NewVersion,
    idempotency_key: Option<&str>,
) -> Result<Draft> {
    dom::check_articles(&input.articles)?;
    let now = Utc::now();
    let period = Period::new(input.opens_at, input.closes_at, now)?;
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "publishDraftLawVersion" });
    transaction::run_once(store, key(actor, idem.as_ref(), input.draft_id), async |txn| {
        let (row, _) = lock_draft(txn, Some(actor), false, input.draft_id, Action::PublishVersion).await?;
        let previous: Vec<Uuid> =
            articles(txn, row.id, row.current_version).await?.into_iter().map(|a| a.id).collect();
        if input.articles.iter().filter_map(|a| a.based_on).any(|b| !previous.contains(&b)) {
            return Err(
                DomainError::invalid("articles", "basedOn names no article of the current version").into()
            );
        }
        let number = row.current_version + 1;
        insert_articles(txn, row.id, number, &input.articles).await?;
        index_draft(txn, (row.id, row.congress_id, &row.title, &row.description), &input.articles, now)
            .await?;
        draft_version::Entity::insert(draft_version::ActiveModel {
            draft_id: Set(row.id),
            number: Set(number),
            opens_at: Set(period.opens_at),
            closes_at: Set(period.closes_at),
            published_by: Set(actor.user_id),
            published_at: Set(now),
        })
        .exec_without_returning(txn)
        .await?;
        let update = draft_law::Entity::update_many()
            .col_expr(draft_law::Column::CurrentVersion, Expr::value(number))
            .col_expr(draft_law::Column::OpensAt, Expr::value(period.opens_at))
            .col_expr(draft_law::Column::ClosesAt, Expr::value(period.closes_at))
            .col_expr(draft_law::Column::UpdatedAt, Expr::value(now));
        transaction::save(txn, row.id, row.version, row.version + 1, update).await?;
        event(txn, row.id, "VERSION_PUBLISHED", Some(actor.user_id), Some(number.to_string())).await?;
        tell_linked(txn, actor, &row, "您挂钩联系的法规草案发布新修改稿").await?;
        Ok(())
    })
    .await?;
    draft_for(store, Some(actor), input.draft_id).await
}

/// The article a comment is on: one of the draft's current version.
async fn check_article(
    db: &impl ConnectionTrait,
    draft: &draft_law::Model,
    article_id: Option<Uuid>,
) -> Result<()> {
    let Some(article_id) = article_id else { return Ok(()) };
    let article = draft_article::Entity::find_by_id(article_id).one(db).await?;
    if article.is_none_or(|a| a.draft_id != draft.id || a.draft_version != draft.current_version) {
        return Err(
            DomainError::invalid("articleId", "is not an article of the draft's current version").into()
        );
    }
    Ok(())
}

/// Who is commenting, as stored.
struct Commenter {
    source: SourceKind,
    account_id: Option<Uuid>,
    deputy_id: Option<Uuid>,
    station_id: Option<Uuid>,
    phone: Option<(String, String)>,
}

/// What a comment says and where.
struct CommentBody<'a> {
    article_id: Option<Uuid>,
    content: &'a str,
    offline: (u32, Option<String>),
}

/// Inserts a comment under the draft's lock, refusing a second one by the same person on the same article
/// in the same version (CONFLICT: edit the first instead).
async fn insert_comment(
    txn: &DatabaseTransaction,
    actor: Option<&Actor>,
    draft: &draft_law::Model,
    id: Uuid,
    who: &Commenter,
    body: CommentBody<'_>,
) -> Result<()> {
    let CommentBody { article_id, content, offline } = body;
    check_article(txn, draft, article_id).await?;
    let commenter_key =
        dom::commenter_key(who.source, who.account_id, who.phone.as_ref().map(|p| p.1.as_str()), id);
    let scope_key = dom::scope_key(article_id);
    let taken = draft_comment::Entity::find()
        .filter(draft_comment::Column::DraftId.eq(draft.id))
        .filter(draft_comment::Column::DraftVersion.eq(draft.current_version))
        .filter(draft_comment::Column::ScopeKey.eq(&scope_key))
        .filter(draft_comment::Column::CommenterKey.eq(&commenter_key))
        .count(txn)
        .await?;
    const ONCE: &str =
        "you have commented on this article of this version already; edit that comment instead";
    if taken > 0 {
        return Err(DomainError::conflict(ONCE).into());
    }
    let first_on_draft = match who.deputy_id {
        Some(d) => {
            draft_comment::Entity::find()
                .filter(draft_comment::Column::DraftId.eq(draft.id))
                .filter(draft_comment::Column::DeputyId.eq(d))
                .count(txn)
                .await?
                == 0
        }
        None => false,
    };
    let now = Utc::now();
    let row = draft_comment::ActiveModel {
        id: Set(id),
        draft_id: Set(draft.id),
        draft_version: Set(draft.current_version),
        article_id: Set(article_id),
        scope_key: Set(scope_key),
        commenter_key: Set(commenter_key),
        source_kind: Set(who.source.as_str().to_owned()),
        account_id: Set(who.account_id),
        deputy_id: Set(who.deputy_id),
        station_id: Set(who.station_id),
        phone_sealed: Set(who.phone.as_ref().map(|p| p.0.clone())),
        phone_digest: Set(who.phone.as_ref().map(|p| p.1.clone())),
        content: Set(content.to_owned()),
        offline_count: Set(i32::try_from(offline.0).unwrap_or(i32::MAX)),
        offline_source: Set(offline.1),
        outcome: Set(CommentOutcome::Pending.as_str().to_owned()),
        outcome_reason: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    };
    draft_comment::Entity::insert(row)
        .exec_without_returning(txn)
        .await
        .map_err(|e| Error::unique_as_conflict(e, ONCE))?;
    index_comment(txn, draft, id, content, now).await?;
    if let (Some(deputy_id), true, Some(actor)) = (who.deputy_id, first_on_draft, actor) {
        let title = format!("对《{}》草案提出意见", draft.title);
        archive(txn, actor, draft.congress_id, deputy_id, id, title, content).await?;
    }
    Ok(())
}

/// A signed-in deputy, citizen or contact point worker comments on an article (or the whole draft) of the
/// current version while its period is open. Deputies and citizens are limited like citizens' opinions (per
/// account); a contact point enters what it collected offline (how many people, from where) without that
/// limit. A deputy's first comment on a draft enters their duty archive.
pub async fn comment(
    store: &Store,
    vault: &Vault,
    actor: &Actor,
    input: NewComment,
    idempotency_key: Option<&str>,
) -> Result<Comment> {
    let content = dom::text("content", &input.content)?;
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "commentOnDraftLaw" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (draft, who) = lock_draft(txn, Some(actor), false, input.draft_id, Action::Comment).await?;
        let source = who.source().ok_or_else(|| DomainError::forbidden("you may not comment"))?;
        let offline = if source == SourceKind::ContactPoint {
            dom::check_offline(input.offline_count, input.offline_source.as_deref())?
        } else {
            if input.offline_count.is_some() || input.offline_source.is_some() {
                return Err(DomainError::invalid(
                    "offlineCount",
                    "only a legislative contact point enters offline comments",
                )
                .into());
            }
            let (per_account, _) = dom::submission_limits();
            Throttle::new("legislation-submit-account", &actor.user_id.to_string(), per_account)
                .hit(&store.cache)
                .await?;
            (1, None)
        };
        let commenter = Commenter {
            source,
            account_id: Some(actor.user_id),
            deputy_id: match who {
                Standing::Deputy(d) => Some(d),
                _ => None,
            },
            station_id: match who {
                Standing::ContactPoint(s) => Some(s),
                _ => None,
            },
            phone: None,
        };
        let body = CommentBody { article_id: input.article_id, content: &content, offline };
        insert_comment(txn, Some(actor), &draft, id, &commenter, body).await?;
        Ok(id)
    })
    .await?;
    comment_for(store, vault, Some(actor), id_of(done)).await
}

/// The author edits their comment while the period is open and it is not marked.
pub async fn edit_comment(
    store: &Store,
    vault: &Vault,
    actor: &Actor,
    id: Uuid,
    content: &str,
) -> Result<Comment> {
    let content = dom::text("content", content)?;
    transaction::run(store, async |txn| {
        let row = draft_comment::Entity::find_by_id(id).one(txn).await?.ok_or("draft comment")?;
        edit_locked(txn, row, row_author(actor), &content).await
    })
    .await?;
    comment_for(store, vault, Some(actor), id).await
}

/// The account that made (or, for a contact point, entered) a comment is its author.
fn row_author(actor: &Actor) -> impl Fn(&draft_comment::Model) -> bool + '_ {
    move |row| row.account_id == Some(actor.user_id)
}

async fn edit_locked(
    txn: &DatabaseTransaction,
    row: draft_comment::Model,
    is_author: impl Fn(&draft_comment::Model) -> bool,
    content: &str,
) -> Result<()> {
    let draft = transaction::lock::<draft_law::Entity>(txn, row.draft_id).await?;
    let comment = transaction::lock::<draft_comment::Entity>(txn, row.id).await?;
    let phase = if comment.draft_version == draft.current_version {
        Period { opens_at: draft.opens_at, closes_at: draft.closes_at }.phase(Utc::now())
    } else {
        Phase::Closed
    };
    let outcome = stored("outcome", comment.id, CommentOutcome::parse(&comment.outcome))?;
    dom::check_edit(is_author(&comment), outcome, phase)?;
    let now = Utc::now();
    let update = draft_comment::Entity::update_many()
        .col_expr(draft_comment::Column::Content, Expr::value(content))
        .col_expr(draft_comment::Column::UpdatedAt, Expr::value(now));
    transaction::save(txn, comment.id, comment.version, comment.version + 1, update).await?;
    index_comment(txn, &draft, comment.id, content, now).await
}

/// The codes of one draft.
fn code_kind(draft_id: Uuid) -> CodeKind {
    CodeKind { policy: dom::CODE, scope: format!("draft-comment:{draft_id}") }
}

/// Sends a one-time code to `phone` for commenting on a draft while its period is open (the voters'
/// rating codes' mechanism and limits), once the citizen agreed to the draft-comment privacy notice
/// (`privacy_consent`, its version; recorded with the code). Returns when it expires.
pub async fn request_code(
    store: &Store,
    vault: &Vault,
    sms: &dyn SmsSender,
    draft_id: Uuid,
    phone: &str,
    privacy_consent: Option<&str>,
    client_address: &str,
) -> Result<DateTime<Utc>> {
    let phone = Phone::parse(phone)?;
    let consent = Consent::for_phone_code(privacy_consent)?;
    let draft = draft_law::Entity::find_by_id(draft_id).one(&store.db).await?.ok_or("draft law")?;
    let now = Utc::now();
    dom::check_open(Period { opens_at: draft.opens_at, closes_at: draft.closes_at }.phase(now))?;
    let phone_digest = vault.phone_digest(phone.as_str());
    let kind = code_kind(draft_id);
    let per_address = Throttle::new(
        "legislation-code:address",
        &vault.address_digest(client_address),
        dom::CODE_REQUESTS_PER_ADDRESS,
    );
    let per_phone = Throttle::new(
        "legislation-code:phone",
        &format!("{}:{phone_digest}", kind.scope),
        dom::CODE_REQUESTS_PER_PHONE,
    );
    throttle::hit_all(&store.cache, &[&per_address, &per_phone]).await?;
    let (code, expires_at) = transaction::run(store, async |txn| {
        let by = crate::consents::GivenBy { account: None, phone_digest: Some(&phone_digest) };
        crate::consents::record(txn, &consent, PrivacyPurpose::DraftComment, draft_id, by, now).await?;
        one_time_code::issue(txn, vault, &kind, &phone_digest, now).await
    })
    .await?;
    let text =
        format!("【e代表】您正在对法规草案提出意见，验证码 {code}，10分钟内有效。如非本人操作请忽略。");
    sms.send(&phone, &text).await?;
    Ok(expires_at)
}

/// A citizen without an account comments (or, with `comment_id`, edits their earlier comment) with the
/// code sent to their phone: one comment per article per phone per version. Limited like citizens'
/// opinions (per client address and per phone). The same idempotency key from the same client address
/// answers with the first comment.
pub async fn comment_by_phone(
    store: &Store,
    vault: &Vault,
    input: PhoneComment,
    client_address: &str,
    idempotency_key: Option<&str>,
) -> Result<Comment> {
    let phone = input.phone.clone();
    let code = dom::CODE.parse(&input.code)?;
    let content = dom::text("content", &input.content)?;
    let owner = vault.scope_id("client", client_address);
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "commentOnDraftLawByPhone" });
    if let Some(idem) = &idem {
        idempotency::check(idem)?;
        if let Some(done) = idempotency::find(&store.db, owner, idem).await? {
            return comment_for(store, vault, None, done).await;
        }
    }
    let draft = draft_law::Entity::find_by_id(input.draft_id).one(&store.db).await?.ok_or("draft law")?;
    let now = Utc::now();
    dom::decide(
        Action::Comment,
        Period { opens_at: draft.opens_at, closes_at: draft.closes_at }.phase(now),
        Standing::Phone,
    )?;
    let phone_digest = vault.phone_digest(phone.as_str());
    let kind = code_kind(input.draft_id);
    // The try is counted (and kept) before the code is compared; the code is used up with the comment.
    let matched = one_time_code::attempt(&store.db, vault, &kind, &phone_digest, &code, now).await?;
    let id = input.comment_id.unwrap_or_else(Uuid::now_v7);
    let key = idem.as_ref().map(|idempotency| Key { owner, idempotency, result: id });
    let done = transaction::run_once(store, key, async |txn| {
        let (per_address, per_phone) = dom::submission_limits();
        Throttle::new("legislation-submit-address", &vault.address_digest(client_address), per_address)
            .hit(&store.cache)
            .await?;
        Throttle::new("legislation-submit-phone", &phone_digest, per_phone).hit(&store.cache).await?;
        one_time_code::consume(txn, &kind, matched).await?;
        if let Some(comment_id) = input.comment_id {
            let row = draft_comment::Entity::find_by_id(comment_id)
                .one(txn)
                .await?
                .filter(|r| r.draft_id == input.draft_id)
                .ok_or("draft comment")?;
            let digest = phone_digest.clone();
            edit_locked(txn, row, move |r| r.phone_digest.as_deref() == Some(digest.as_str()), &content)
                .await?;
            return Ok(comment_id);
        }
        let (draft, _) = lock_draft(txn, None, true, input.draft_id, Action::Comment).await?;
        let commenter = Commenter {
            source: SourceKind::Phone,
            account_id: None,
            deputy_id: None,
            station_id: None,
            phone: Some((vault.seal(phone.as_str())?, phone_digest.clone())),
        };
        let body = CommentBody { article_id: input.article_id, content: &content, offline: (1, None) };
        insert_comment(txn, None, &draft, id, &commenter, body).await?;
        Ok(id)
    })
    .await?;
    comment_for(store, vault, None, id_of(done)).await
}

/// Staff mark a comment adopted, partly adopted or not adopted (with a reason) once its version's period
/// is over; the commenter is told (an account holder in the inbox, a contact point's workers in theirs; a
/// phone commenter reads it on the draft's public page). Once (CONFLICT after).
pub async fn mark_comment(
    store: &Store,
    vault: &Vault,
    actor: &Actor,
    id: Uuid,
    outcome: CommentOutcome,
    reason: Option<&str>,
    idempotency_key: Option<&str>,
) -> Result<Comment> {
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "markDraftComment" });
    transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let comment = transaction::lock::<draft_comment::Entity>(txn, id).await?;
        let draft = draft_law::Entity::find_by_id(comment.draft_id).one(txn).await?.ok_or("draft law")?;
        let who = standing(txn, Some(actor), draft.congress_id).await?;
        let version = draft_version::Entity::find_by_id((comment.draft_id, comment.draft_version))
            .one(txn)
            .await?
            .ok_or("draft version")?;
        let phase = Period { opens_at: version.opens_at, closes_at: version.closes_at }.phase(Utc::now());
        dom::decide(Action::MarkComment, phase, who)?;
        let current = stored("outcome", id, CommentOutcome::parse(&comment.outcome))?;
        let reason = dom::check_comment_outcome(current, outcome, reason)?;
        let now = Utc::now();
        let update = draft_comment::Entity::update_many()
            .col_expr(draft_comment::Column::Outcome, Expr::value(outcome.as_str()))
            .col_expr(draft_comment::Column::OutcomeReason, Expr::value(reason))
            .col_expr(draft_comment::Column::DecidedBy, Expr::value(actor.user_id))
            .col_expr(draft_comment::Column::DecidedAt, Expr::value(now));
        transaction::save(txn, id, comment.version, comment.version + 1, update).await?;
        event(txn, draft.id, "COMMENT_MARKED", Some(actor.user_id), Some(outcome.as_str().to_owned()))
            .await?;
        let audience = match (comment.station_id, comment.account_id) {
            (Some(station), _) => vec![Audience::Station(station)],
            (None, Some(account)) => vec![Audience::Account(account)],
            (None, None) => Vec::new(),
        };
        tell(
            txn,
            &audience,
            kinds::COMMENT_MARKED,
            "您对法规草案的意见已有采纳结果",
            Some(draft.title.clone()),
            (COMMENT_SUBJECT, id),
            Some(actor.user_id),
        )
        .await
    })
    .await?;
    comment_for(store, vault, Some(actor), id).await
}
