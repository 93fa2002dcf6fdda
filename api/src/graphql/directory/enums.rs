//! Directory enums, mirrored from the domain so the schema and the rules cannot drift apart.

use async_graphql::Enum;

/// The five levels of people's congresses (五级人大).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::directory::CongressLevel")]
pub enum CongressLevel {
    /// 全国人民代表大会
    National,
    /// 省级
    Provincial,
    /// 设区的市级
    City,
    /// 县级
    County,
    /// 乡镇级
    Township,
}

/// A deputy's gender.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::directory::Gender")]
pub enum Gender {
    /// 男
    Male,
    /// 女
    Female,
}

/// Occupation categories of the roster (履职资源分类名册).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::directory::OccupationCategory")]
pub enum OccupationCategory {
    /// 工人、农民
    WorkerOrFarmer,
    /// 专业技术人员
    Professional,
    /// 党政领导干部
    Official,
    /// 企业负责人
    BusinessLeader,
    /// 解放军、武警
    Military,
    /// 其他
    Other,
}

/// Kinds of places where deputies meet the public.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::directory::StationKind")]
pub enum StationKind {
    /// 代表联络站
    Station,
    /// 代表之家
    Home,
    /// 代表联系点
    ContactPoint,
    /// 基层立法联系点: also collects comments on draft laws.
    LegislativeContactPoint,
}
