//! Open legislation (开门立法): calls for the legislative plan (`LegislativeCall`, 立法规划/计划建议项目征集)
//! gathering deputies' and citizens' proposals (`LegislativeProposal`), and drafts published for comment
//! (`DraftLaw`, 法规草案征求意见) as numbered chapters and articles (`DraftArticle`), versioned, gathering
//! comments (`DraftComment`) by article from deputies, citizens (with an account, or with a phone confirmed
//! by a one-time code) and the basic-level legislative contact points (基层立法联系点).
//!
//! Who may do what is [`decide`], one table over action × period × standing: the actor's standing is
//! checked first (FORBIDDEN), then the period (CONFLICT, or [`DomainError::Invalid`] on the period for
//! commenting outside it, see [`check_open`]). Who sees what is [`CommentView`].

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::rate_limit::RateLimit;
use crate::text::bounded;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

vocabulary!(
    /// What a proposal asks for.
    ProposalKind {
        /// Make a new law or regulation (制定).
        Make = "MAKE",
        /// Amend an existing one (修改).
        Amend = "AMEND",
    }
);

vocabulary!(
    /// What staff made of a proposal; the proposer sees it with the reason.
    ProposalOutcome {
        /// Not decided yet.
        Pending = "PENDING",
        /// Taken into the plan (列入规划/计划).
        Taken = "TAKEN",
        /// Merged into another project (合并研究).
        Merged = "MERGED",
        /// Not taken (不予采纳).
        NotTaken = "NOT_TAKEN",
    }
);

vocabulary!(
    /// What staff made of a comment; the commenter is told (or can look it up).
    CommentOutcome {
        /// Not decided yet.
        Pending = "PENDING",
        /// Adopted (采纳).
        Adopted = "ADOPTED",
        /// Partly adopted (部分采纳).
        PartlyAdopted = "PARTLY_ADOPTED",
        /// Not adopted (未采纳), with a reason.
        NotAdopted = "NOT_ADOPTED",
    }
);

vocabulary!(
    /// Who a proposal or comment comes from.
    SourceKind {
        /// A deputy of the congress, with their account.
        Deputy = "DEPUTY",
        /// A citizen with an account.
        Citizen = "CITIZEN",
        /// A citizen without an account, identified by a phone confirmed with a one-time code.
        Phone = "PHONE",
        /// A basic-level legislative contact point (基层立法联系点), entering what it collected offline.
        ContactPoint = "CONTACT_POINT",
    }
);

/// The longest proposal reason and comment: the same bound as a citizen's opinion.
pub const MAX_TEXT: usize = crate::opinion::MAX_CONTENT;
/// The longest article text.
pub const MAX_ARTICLE_TEXT: usize = 5000;
/// The longest chapter heading or article number ("第一章 总则", "第十二条").
pub const MAX_HEADING: usize = 100;
/// The most articles in one version of a draft.
pub const MAX_ARTICLES: usize = 500;
/// The most deputies linked to a draft.
pub const MAX_LINKED: usize = 100;
/// The most people an offline entry of a contact point stands for.
pub const MAX_OFFLINE_COUNT: u32 = 100_000;
/// The longest comment period: a year.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// Submissions (proposals and comments) per client address, account or phone: the same limits as
/// citizens' opinions (10 an hour per address or account, 5 a day per phone).
pub fn submission_limits() -> (RateLimit, RateLimit) {
    let policy = crate::opinion::OpinionPolicy::default();
    (policy.per_address, policy.per_phone)
}

/// One-time codes for phone commenters: the same policy and request limits as the voters' rating codes.
pub const CODE: crate::one_time_code::CodePolicy = crate::duty::activity::VOTER_CODE;
pub const CODE_REQUESTS_PER_PHONE: RateLimit = crate::duty::activity::VOTER_CODE_REQUESTS_PER_PHONE;
pub const CODE_REQUESTS_PER_ADDRESS: RateLimit = crate::duty::activity::VOTER_CODE_REQUESTS_PER_ADDRESS;

/// A period during which proposals or comments are taken: it ends after it starts, within a year of it,
/// and lies ahead when published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

impl Period {
    /// A period from `opens_at` (default `now`) to `closes_at`, which must lie ahead of both.
    pub fn new(
        opens_at: Option<DateTime<Utc>>,
        closes_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let opens_at = opens_at.unwrap_or(now);
        if closes_at <= now || closes_at <= opens_at {
            return Err(DomainError::invalid("closesAt", "must lie ahead, after the period opens"));
        }
        if opens_at < now - Duration::days(1) {
            return Err(DomainError::invalid("opensAt", "must not lie in the past"));
        }
        if closes_at - opens_at > Duration::days(MAX_PERIOD_DAYS) {
            return Err(DomainError::invalid("closesAt", "a period lasts at most a year"));
        }
        Ok(Self { opens_at, closes_at })
    }

    /// Where the period is at `now`.
    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        if now < self.opens_at {
            Phase::NotOpen
        } else if now < self.closes_at {
            Phase::Open
        } else {
            Phase::Closed
        }
    }
}

/// Where a call's or a draft version's period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Published, not yet taking submissions.
    NotOpen,
    /// Taking proposals or comments.
    Open,
    /// Past; staff mark outcomes (and may publish a new version of a draft).
    Closed,
}

impl Phase {
    pub const ALL: [Phase; 3] = [Phase::NotOpen, Phase::Open, Phase::Closed];
}

/// Who the actor is to a call or draft of a congress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Staff of the congress (or an admin).
    Staff,
    /// A deputy of the congress.
    Deputy(Uuid),
    /// A citizen with an account.
    Citizen,
    /// A worker of a legislative contact point of the congress (a station of that kind).
    ContactPoint(Uuid),
    /// A citizen without an account whose phone was confirmed by a one-time code.
    Phone,
    /// Anyone else: other congresses, units, other station workers, anonymous readers.
    Outsider,
}

impl Standing {
    pub const SAMPLES: [Standing; 6] = [
        Standing::Staff,
        Standing::Deputy(Uuid::from_u128(7)),
        Standing::Citizen,
        Standing::ContactPoint(Uuid::from_u128(8)),
        Standing::Phone,
        Standing::Outsider,
    ];

    /// The standing of a signed-in actor (or of nobody) towards a congress; `contact_point` is whether the
    /// actor's station is a legislative contact point of that congress.
    pub fn of(actor: Option<&Actor>, congress_id: Uuid, contact_point: bool) -> Self {
        let Some(actor) = actor else { return Standing::Outsider };
        if actor.is_staff_of(congress_id) {
            return Standing::Staff;
        }
        match (actor.role, actor.deputy_id, actor.station_id) {
            (Role::Deputy, Some(d), _) if actor.congress_id == Some(congress_id) => Standing::Deputy(d),
            (Role::Citizen, _, _) => Standing::Citizen,
            (Role::StationStaff, _, Some(s)) if contact_point => Standing::ContactPoint(s),
            _ => Standing::Outsider,
        }
    }

    /// The source kind of what this standing submits, if it may submit at all.
    pub fn source(self) -> Option<SourceKind> {
        match self {
            Standing::Deputy(_) => Some(SourceKind::Deputy),
            Standing::Citizen => Some(SourceKind::Citizen),
            Standing::Phone => Some(SourceKind::Phone),
            Standing::ContactPoint(_) => Some(SourceKind::ContactPoint),
            Standing::Staff | Standing::Outsider => None,
        }
    }
}

/// What someone asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Propose a law for a call's plan.
    Propose,
    /// Mark a proposal's outcome.
    MarkProposal,
    /// Close a call's or a draft version's period early.
    Close,
    /// Comment on a draft (or edit one's own comment).
    Comment,
    /// Mark a comment's outcome.
    MarkComment,
    /// Publish a new version of a draft.
    PublishVersion,
    /// Set the deputies linked to a draft.
    Link,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Propose,
        Action::MarkProposal,
        Action::Close,
        Action::Comment,
        Action::MarkComment,
        Action::PublishVersion,
        Action::Link,
    ];

    /// Who may: deputies and citizens with an account propose; deputies, citizens (account or confirmed
    /// phone) and contact points comment; staff do the rest.
    fn allowed(self, who: Standing) -> bool {
        match self {
            Action::Propose => matches!(who, Standing::Deputy(_) | Standing::Citizen),
            Action::Comment => who.source().is_some(),
            _ => who == Standing::Staff,
        }
    }

    /// In which phase.
    fn fits(self, phase: Phase) -> bool {
        match self {
            Action::Propose | Action::Comment => phase == Phase::Open,
            Action::Close => phase != Phase::Closed,
            Action::MarkComment | Action::PublishVersion => phase == Phase::Closed,
            Action::MarkProposal | Action::Link => true,
        }
    }
}

/// The table: FORBIDDEN for the wrong person; outside the period a submission is BAD_USER_INPUT on
/// `period` (the client shows "not open" / "closed"), a staff step CONFLICT.
pub fn decide(action: Action, phase: Phase, who: Standing) -> Result<(), DomainError> {
    if !action.allowed(who) {
        return Err(DomainError::forbidden(match action {
            Action::Propose => "only deputies and citizens with an account propose",
            Action::Comment => "only deputies, citizens and legislative contact points comment",
            _ => "only staff of the congress may",
        }));
    }
    if !action.fits(phase) {
        return Err(match action {
            Action::Propose | Action::Comment => check_open(phase).err().unwrap_or_else(|| {
                DomainError::invalid("period", "submissions are taken only during the period")
            }),
            Action::Close => DomainError::conflict("the period is closed already"),
            Action::MarkComment => {
                DomainError::conflict("comments are marked once the comment period is over")
            }
            Action::PublishVersion => {
                DomainError::conflict("a new version is published once the comment period is over")
            }
            Action::MarkProposal | Action::Link => DomainError::conflict("not now"),
        });
    }
    Ok(())
}

/// Submissions are taken only while the period is open: BAD_USER_INPUT on `period` otherwise.
pub fn check_open(phase: Phase) -> Result<(), DomainError> {
    match phase {
        Phase::Open => Ok(()),
        Phase::NotOpen => Err(DomainError::invalid("period", "the period has not opened yet")),
        Phase::Closed => Err(DomainError::invalid("period", "the period is over")),
    }
}

/// An outcome is given once, and never as PENDING; NOT_TAKEN / NOT_ADOPTED / MERGED / PARTLY_ADOPTED need
/// a reason (the proposer or commenter reads it).
pub fn check_proposal_outcome(
    current: ProposalOutcome,
    outcome: ProposalOutcome,
    reason: Option<&str>,
) -> Result<Option<String>, DomainError> {
    if outcome == ProposalOutcome::Pending {
        return Err(DomainError::invalid("outcome", "choose TAKEN, MERGED or NOT_TAKEN"));
    }
    if current != ProposalOutcome::Pending {
        return Err(DomainError::conflict("this proposal was marked already"));
    }
    let reason = crate::text::optional("reason", reason, MAX_TEXT)?;
    if outcome != ProposalOutcome::Taken && reason.is_none() {
        return Err(DomainError::invalid("reason", "say why, the proposer reads it"));
    }
    Ok(reason)
}

/// See [`check_proposal_outcome`].
pub fn check_comment_outcome(
    current: CommentOutcome,
    outcome: CommentOutcome,
    reason: Option<&str>,
) -> Result<Option<String>, DomainError> {
    if outcome == CommentOutcome::Pending {
        return Err(DomainError::invalid("outcome", "choose ADOPTED, PARTLY_ADOPTED or NOT_ADOPTED"));
    }
    if current != CommentOutcome::Pending {
        return Err(DomainError::conflict("this comment was marked already"));
    }
    let reason = crate::text::optional("reason", reason, MAX_TEXT)?;
    if outcome != CommentOutcome::Adopted && reason.is_none() {
        return Err(DomainError::invalid("reason", "say why, the commenter reads it"));
    }
    Ok(reason)
}

/// A comment may be edited by its author while the period is open and it is not marked.
pub fn check_edit(author: bool, outcome: CommentOutcome, phase: Phase) -> Result<(), DomainError> {
    if !author {
        return Err(DomainError::forbidden("only the commenter edits a comment"));
    }
    check_open(phase)?;
    if outcome != CommentOutcome::Pending {
        return Err(DomainError::conflict("a marked comment is not edited"));
    }
    Ok(())
}

/// What a viewer sees of a comment: anyone (anonymous included) its text, article, source kind and outcome;
/// staff of the congress also who made it (name, deputy, station, the full phone); the commenter knows it
/// is theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentView {
    pub identity: bool,
}

impl CommentView {
    pub fn of(who: Standing) -> Self {
        Self { identity: who == Standing::Staff }
    }
}

/// Who sees a call's proposals: staff all of them; a proposer their own; nobody else any.
pub fn sees_proposal(who: Standing, own: bool) -> bool {
    who == Standing::Staff || own
}

/// Who sees a draft's linked deputies: staff and the congress's deputies.
pub fn sees_links(who: Standing) -> bool {
    matches!(who, Standing::Staff | Standing::Deputy(_))
}

/// Who reads statistics and exports: staff of the congress.
pub fn check_statistics(who: Standing) -> Result<(), DomainError> {
    if who == Standing::Staff {
        Ok(())
    } else {
        Err(DomainError::forbidden("only staff of the congress read the statistics"))
    }
}

/// A proposal's or comment's text: 1 to [`MAX_TEXT`] characters.
pub fn text(field: &'static str, raw: &str) -> Result<String, DomainError> {
    bounded(field, raw, 1, MAX_TEXT)
}

/// One article as staff enter it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleInput {
    /// The chapter heading it stands under ("第一章 总则"); empty for a draft without chapters.
    pub chapter: String,
    /// The article's number as printed ("第一条").
    pub number: String,
    pub text: String,
    /// For a new version: what changed in this article ("新增", "删去第二款", …).
    pub change_note: Option<String>,
    /// For a new version: the article of the previous version it continues.
    pub based_on: Option<Uuid>,
}

impl ArticleInput {
    pub fn parse(
        chapter: Option<&str>,
        number: &str,
        text: &str,
        change_note: Option<&str>,
        based_on: Option<Uuid>,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            chapter: crate::text::optional("articles.chapter", chapter, MAX_HEADING)?.unwrap_or_default(),
            number: bounded("articles.number", number, 1, MAX_HEADING)?,
            text: bounded("articles.text", text, 1, MAX_ARTICLE_TEXT)?,
            change_note: crate::text::optional("articles.changeNote", change_note, MAX_TEXT)?,
            based_on,
        })
    }
}

/// A version's articles: 1 to [`MAX_ARTICLES`], numbers unique, and (for a new version) each previous
/// article continued at most once.
pub fn check_articles(articles: &[ArticleInput]) -> Result<(), DomainError> {
    if articles.is_empty() || articles.len() > MAX_ARTICLES {
        return Err(DomainError::invalid("articles", format!("1 to {MAX_ARTICLES} articles")));
    }
    let mut numbers: Vec<&str> = articles.iter().map(|a| a.number.as_str()).collect();
    numbers.sort_unstable();
    if numbers.windows(2).any(|w| w[0] == w[1]) {
        return Err(DomainError::invalid("articles", "two articles have the same number"));
    }
    let mut bases: Vec<Uuid> = articles.iter().filter_map(|a| a.based_on).collect();
    let count = bases.len();
    bases.sort_unstable();
    bases.dedup();
    if bases.len() != count {
        return Err(DomainError::invalid(
            "articles",
            "an article of the previous version is continued twice",
        ));
    }
    Ok(())
}

/// The linked deputies: at most [`MAX_LINKED`], duplicates dropped.
pub fn check_links(mut deputies: Vec<Uuid>) -> Result<Vec<Uuid>, DomainError> {
    deputies.sort_unstable();
    deputies.dedup();
    if deputies.len() > MAX_LINKED {
        return Err(DomainError::invalid("deputyIds", format!("at most {MAX_LINKED}")));
    }
    Ok(deputies)
}

/// What a contact point collected offline: how many people, and from where.
pub fn check_offline(count: Option<i32>, source: Option<&str>) -> Result<(u32, Option<String>), DomainError> {
    let count = match count {
        None => 1,
        Some(n) => u32::try_from(n)
            .ok()
            .filter(|n| (1..=MAX_OFFLINE_COUNT).contains(n))
            .ok_or_else(|| DomainError::invalid("offlineCount", format!("1 to {MAX_OFFLINE_COUNT}")))?,
    };
    Ok((count, crate::text::optional("offlineSource", source, MAX_HEADING * 2)?))
}

/// The key that makes "one comment per article per person per version" a unique index: the account, or
/// the confirmed phone's digest. A contact point enters many comments (what many people said), so each of
/// its comments has a key of its own.
pub fn commenter_key(
    source: SourceKind,
    account: Option<Uuid>,
    phone_digest: Option<&str>,
    id: Uuid,
) -> String {
    match (source, account, phone_digest) {
        (SourceKind::ContactPoint, _, _) => format!("entry:{id}"),
        (SourceKind::Phone, _, Some(digest)) => format!("phone:{digest}"),
        (_, Some(account), _) => format!("account:{account}"),
        _ => format!("entry:{id}"),
    }
}

/// The article scope of a comment in the unique key: the article, or the whole draft.
pub fn scope_key(article: Option<Uuid>) -> String {
    article.map_or_else(|| "WHOLE".to_owned(), |a| a.to_string())
}

/// Counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub total: u64,
    pub pending: u64,
    /// TAKEN, or ADOPTED.
    pub positive: u64,
    /// MERGED, or PARTLY_ADOPTED.
    pub partial: u64,
    /// NOT_TAKEN, or NOT_ADOPTED.
    pub negative: u64,
}

impl OutcomeCounts {
    pub fn add_comment(&mut self, outcome: CommentOutcome, n: u64) {
        self.total += n;
        match outcome {
            CommentOutcome::Pending => self.pending += n,
            CommentOutcome::Adopted => self.positive += n,
            CommentOutcome::PartlyAdopted => self.partial += n,
            CommentOutcome::NotAdopted => self.negative += n,
        }
    }

    pub fn add_proposal(&mut self, outcome: ProposalOutcome, n: u64) {
        self.total += n;
        match outcome {
            ProposalOutcome::Pending => self.pending += n,
            ProposalOutcome::Taken => self.positive += n,
            ProposalOutcome::Merged => self.partial += n,
            ProposalOutcome::NotTaken => self.negative += n,
        }
    }

    /// (adopted + partly adopted) / decided; `None` when nothing is decided.
    pub fn adoption_rate(&self) -> Option<f64> {
        crate::statistics::rate(self.positive + self.partial, self.total - self.pending)
    }
}

/// The notification kinds of this capability (mirrored in `NotificationKind`).
pub mod kinds {
    /// A draft linked to the deputy was published, closed, or has a new version (the linked deputies).
    pub const DRAFT_STAGE: &str = "LEGISLATION_DRAFT_STAGE";
    /// A call for the legislative plan opened (the congress's deputies).
    pub const CALL_PUBLISHED: &str = "LEGISLATION_CALL_PUBLISHED";
    /// A proposal was marked (the proposer).
    pub const PROPOSAL_MARKED: &str = "LEGISLATION_PROPOSAL_MARKED";
    /// A comment was marked (the commenter with an account, or the contact point's workers).
    pub const COMMENT_MARKED: &str = "LEGISLATION_COMMENT_MARKED";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, congress: Option<Uuid>, deputy: Option<Uuid>, station: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(99),
            role,
            congress_id: congress,
            unit_id: None,
            deputy_id: deputy,
            station_id: station,
        }
    }

    #[test]
    fn standing_follows_role_congress_and_station_kind() {
        let (c, other, d, s) =
            (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3), Uuid::from_u128(4));
        assert_eq!(
            Standing::of(Some(&actor(Role::CongressStaff, Some(c), None, None)), c, false),
            Standing::Staff
        );
        assert_eq!(Standing::of(Some(&actor(Role::Admin, None, None, None)), c, false), Standing::Staff);
        assert_eq!(
            Standing::of(Some(&actor(Role::CongressStaff, Some(other), None, None)), c, false),
            Standing::Outsider
        );
        assert_eq!(
            Standing::of(Some(&actor(Role::Deputy, Some(c), Some(d), None)), c, false),
            Standing::Deputy(d)
        );
        assert_eq!(
            Standing::of(Some(&actor(Role::Deputy, Some(other), Some(d), None)), c, false),
            Standing::Outsider
        );
        assert_eq!(Standing::of(Some(&actor(Role::Citizen, None, None, None)), c, false), Standing::Citizen);
        let worker = actor(Role::StationStaff, Some(c), None, Some(s));
        assert_eq!(Standing::of(Some(&worker), c, true), Standing::ContactPoint(s));
        assert_eq!(Standing::of(Some(&worker), c, false), Standing::Outsider, "an ordinary station");
        assert_eq!(
            Standing::of(Some(&actor(Role::UnitStaff, None, None, None)), c, false),
            Standing::Outsider
        );
        assert_eq!(Standing::of(None, c, false), Standing::Outsider);
    }

    /// The whole table written out once more as the rule reads: every action × phase × standing.
    #[test]
    fn the_table_holds_for_every_action_phase_and_standing() {
        for action in Action::ALL {
            for phase in Phase::ALL {
                for who in Standing::SAMPLES {
                    let who_ok = match action {
                        Action::Propose => matches!(who, Standing::Deputy(_) | Standing::Citizen),
                        Action::Comment => !matches!(who, Standing::Staff | Standing::Outsider),
                        _ => who == Standing::Staff,
                    };
                    let phase_ok = match action {
                        Action::Propose | Action::Comment => phase == Phase::Open,
                        Action::Close => phase != Phase::Closed,
                        Action::MarkComment | Action::PublishVersion => phase == Phase::Closed,
                        Action::MarkProposal | Action::Link => true,
                    };
                    let got = decide(action, phase, who);
                    match (who_ok, phase_ok) {
                        (false, _) => assert!(
                            matches!(got, Err(DomainError::Forbidden(_))),
                            "{action:?} {phase:?} {who:?}"
                        ),
                        (true, false) if matches!(action, Action::Propose | Action::Comment) => assert!(
                            matches!(got, Err(DomainError::Invalid { field: "period", .. })),
                            "{action:?} {phase:?} {who:?}"
                        ),
                        (true, false) => assert!(
                            matches!(got, Err(DomainError::Conflict(_))),
                            "{action:?} {phase:?} {who:?}"
                        ),
                        (true, true) => assert_eq!(got, Ok(()), "{action:?} {phase:?} {who:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn a_period_lies_ahead_and_has_three_phases() {
        let now = Utc::now();
        assert!(Period::new(None, now, now).is_err());
        assert!(Period::new(Some(now + Duration::days(2)), now + Duration::days(1), now).is_err());
        assert!(Period::new(None, now + Duration::days(400), now).is_err());
        assert!(Period::new(Some(now - Duration::days(3)), now + Duration::days(1), now).is_err());
        let Ok(p) = Period::new(Some(now + Duration::hours(1)), now + Duration::days(30), now) else {
            panic!("a valid period")
        };
        assert_eq!(p.phase(now), Phase::NotOpen);
        assert_eq!(p.phase(now + Duration::hours(2)), Phase::Open);
        assert_eq!(p.phase(now + Duration::days(30)), Phase::Closed);
    }

    #[test]
    fn outcomes_are_given_once_with_a_reason_unless_positive() {
        use CommentOutcome as C;
        use ProposalOutcome as P;
        assert_eq!(check_proposal_outcome(P::Pending, P::Taken, None), Ok(None));
        assert!(matches!(
            check_proposal_outcome(P::Pending, P::NotTaken, None),
            Err(DomainError::Invalid { .. })
        ));
        assert!(matches!(
            check_proposal_outcome(P::Pending, P::Pending, Some("x")),
            Err(DomainError::Invalid { .. })
        ));
        assert!(matches!(
            check_proposal_outcome(P::Taken, P::Merged, Some("x")),
            Err(DomainError::Conflict(_))
        ));
        assert_eq!(
            check_comment_outcome(C::Pending, C::NotAdopted, Some(" 理由 ")),
            Ok(Some("理由".to_owned()))
        );
        assert!(matches!(
            check_comment_outcome(C::Pending, C::PartlyAdopted, None),
            Err(DomainError::Invalid { .. })
        ));
        assert!(matches!(check_comment_outcome(C::Adopted, C::Adopted, None), Err(DomainError::Conflict(_))));
        let long = "长".repeat(MAX_TEXT + 1);
        assert!(check_comment_outcome(C::Pending, C::NotAdopted, Some(&long)).is_err());
    }

    #[test]
    fn only_the_author_edits_a_pending_comment_while_open() {
        assert_eq!(check_edit(true, CommentOutcome::Pending, Phase::Open), Ok(()));
        assert!(matches!(
            check_edit(false, CommentOutcome::Pending, Phase::Open),
            Err(DomainError::Forbidden(_))
        ));
        assert!(matches!(
            check_edit(true, CommentOutcome::Pending, Phase::Closed),
            Err(DomainError::Invalid { .. })
        ));
        assert!(matches!(
            check_edit(true, CommentOutcome::Adopted, Phase::Open),
            Err(DomainError::Conflict(_))
        ));
    }

    #[test]
    fn identity_only_to_staff() {
        for who in Standing::SAMPLES {
            assert_eq!(CommentView::of(who).identity, who == Standing::Staff);
            assert_eq!(sees_proposal(who, false), who == Standing::Staff);
            assert!(sees_proposal(who, true));
            assert_eq!(check_statistics(who).is_ok(), who == Standing::Staff);
        }
    }

    #[test]
    fn inputs_are_bounded() {
        assert!(text("content", "").is_err());
        assert!(text("content", &"字".repeat(MAX_TEXT)).is_ok());
        assert!(text("content", &"字".repeat(MAX_TEXT + 1)).is_err());
        let a = |n: &str| ArticleInput::parse(Some("第一章 总则"), n, "内容", None, None);
        assert!(ArticleInput::parse(None, "", "内容", None, None).is_err());
        assert!(ArticleInput::parse(None, "第一条", &"字".repeat(MAX_ARTICLE_TEXT + 1), None, None).is_err());
        let (Ok(one), Ok(two)) = (a("第一条"), a("第二条")) else { panic!("valid") };
        assert!(check_articles(&[]).is_err());
        assert!(check_articles(&[one.clone(), two.clone()]).is_ok());
        assert!(check_articles(&[one.clone(), one.clone()]).is_err());
        let base = Uuid::from_u128(5);
        let (mut x, mut y) = (one, two);
        x.based_on = Some(base);
        y.based_on = Some(base);
        assert!(check_articles(&[x, y]).is_err());
        assert!(check_articles(&vec![a("第一条").unwrap_or_else(|_| panic!()); MAX_ARTICLES + 1]).is_err());
        assert!(check_links((0..=MAX_LINKED as u128).map(Uuid::from_u128).collect()).is_err());
        assert_eq!(check_links(vec![Uuid::from_u128(1), Uuid::from_u128(1)]).map(|l| l.len()), Ok(1));
        assert_eq!(check_offline(None, None), Ok((1, None)));
        assert!(check_offline(Some(0), None).is_err());
        assert!(check_offline(Some(-3), None).is_err());
        assert!(check_offline(Some(100_001), None).is_err());
    }

    #[test]
    fn one_key_per_person_and_article() {
        let (id1, id2, account) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        assert_eq!(
            commenter_key(SourceKind::Citizen, Some(account), None, id1),
            commenter_key(SourceKind::Citizen, Some(account), None, id2)
        );
        assert_eq!(
            commenter_key(SourceKind::Phone, None, Some("d"), id1),
            commenter_key(SourceKind::Phone, None, Some("d"), id2)
        );
        assert_ne!(
            commenter_key(SourceKind::ContactPoint, Some(account), None, id1),
            commenter_key(SourceKind::ContactPoint, Some(account), None, id2)
        );
        assert_eq!(scope_key(None), "WHOLE");
        assert_eq!(scope_key(Some(id1)), id1.to_string());
    }

    #[test]
    fn counts_and_rates() {
        let mut c = OutcomeCounts::default();
        assert_eq!(c.adoption_rate(), None);
        c.add_comment(CommentOutcome::Adopted, 2);
        c.add_comment(CommentOutcome::NotAdopted, 2);
        c.add_comment(CommentOutcome::Pending, 1);
        assert_eq!((c.total, c.pending, c.positive, c.negative), (5, 1, 2, 2));
        assert_eq!(c.adoption_rate(), Some(0.5));
        let mut p = OutcomeCounts::default();
        p.add_proposal(ProposalOutcome::Merged, 1);
        assert_eq!(p.partial, 1);
    }
}
