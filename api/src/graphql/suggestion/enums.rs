//! Suggestion enums, mirrored from the domain.

use async_graphql::Enum;

/// Where a suggestion is in its life.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::suggestion::SuggestionState")]
pub enum SuggestionState {
    /// 草稿: the lead deputy is writing it; co-signers join.
    Draft,
    /// 提出: submitted and numbered, waiting for staff.
    Proposed,
    /// 交办: assigned to units with a deadline.
    Assigned,
    /// 承办: accepted by the unit(s), being handled.
    Handled,
    /// 答复: every answering unit has answered.
    Answered,
    /// 评价: the lead deputy rated every answer.
    Rated,
    /// 撤回: withdrawn by the lead deputy.
    Withdrawn,
}

/// How the work is split between units.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::suggestion::HandlingMode")]
pub enum HandlingMode {
    /// 主办 + 协办: one lead unit answers, co-units give opinions.
    LeadWithCo,
    /// 分办: two or more units, each answers its part.
    Parallel,
}

/// A unit's part in handling.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::suggestion::HandlingRole")]
pub enum HandlingRole {
    /// 主办单位 (each unit in PARALLEL mode): answers.
    Lead,
    /// 协办单位: gives an opinion to the lead unit.
    Co,
}

/// 答复分类.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::suggestion::AnswerClass")]
pub enum AnswerClass {
    /// A 类: solved or basically solved.
    Solved,
    /// B 类: being solved or planned; a completion date is promised.
    InProgress,
    /// C 类: must wait for conditions; reasons given.
    Deferred,
    /// D 类: kept for reference; reasons given.
    ForReference,
}

/// 满意度.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::suggestion::Satisfaction")]
pub enum Satisfaction {
    /// 满意
    Satisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意: re-opens the unit's part once.
    Dissatisfied,
}

/// How a unit talked with the deputy.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::suggestion::ContactMethod")]
pub enum ContactMethod {
    /// 电话
    Phone,
    /// 走访
    Visit,
    /// 座谈、见面会
    Meeting,
    /// 其他
    Other,
}

/// A co-signing invitation's answer.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::suggestion::CoSignStatus")]
pub enum CoSignStatus {
    /// Waiting for the invitee.
    Invited,
    /// Joined: counts as a co-signer (联名代表).
    Confirmed,
    /// Declined.
    Declined,
}
