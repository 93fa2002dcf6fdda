//! Opinion enums, mirrored from the domain.

use async_graphql::Enum;

/// What an opinion is about. The public form offers exactly these.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "edaibiao_domain::opinion::OpinionCategory")]
pub enum OpinionCategory {
    /// 城市管理
    UrbanManagement,
    /// 交通出行
    Transport,
    /// 教育
    Education,
    /// 医疗卫生
    Health,
    /// 社会保障
    SocialSecurity,
    /// 生态环境
    Environment,
    /// 公共安全
    PublicSafety,
    /// 经济发展
    Economy,
    /// 其他
    Other,
}

/// Where an opinion is in its closed loop.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::opinion::OpinionState")]
pub enum OpinionState {
    /// 已提交: waiting for a deputy or station worker to take it.
    Received,
    /// 已受理: taken; whoever took it is responsible until it is closed (首问负责).
    Accepted,
    /// 直接办理: resolved by the responsible person; feedback is due.
    ResolvedDirectly,
    /// 转办: forwarded to a handling unit; feedback is due after the unit's reply.
    Forwarded,
    /// 转为建议: turned into a suggestion draft of the responsible deputy; feedback is due.
    Converted,
    /// 已反馈: the citizen has the answer and may rate it.
    FeedbackGiven,
    /// 已办结: rated by the citizen, or closed 15 days after the feedback.
    Closed,
}

/// How an opinion came in.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::opinion::OpinionSource")]
pub enum OpinionSource {
    /// Through a deputy's QR code, addressed to that deputy.
    QrCode,
    /// Through a liaison station's form.
    Station,
    /// Raised at a reception and recorded there.
    Reception,
}

/// How an opinion was closed.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::opinion::ClosedBy")]
pub enum OpinionClosedBy {
    /// The citizen rated the outcome.
    Rating,
    /// Nobody rated within 15 days of the feedback.
    Timeout,
}

/// What an opinion is waiting for, and so who owes the next step.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::opinion::WaitKind")]
pub enum OpinionWait {
    /// Someone must take it (limit 3 days).
    Acceptance,
    /// The responsible person must resolve, forward or convert it (limit 15 days).
    Handling,
    /// The unit owes its reply (limit 15 days).
    UnitReply,
    /// The citizen is owed feedback (limit 7 days).
    Feedback,
}
