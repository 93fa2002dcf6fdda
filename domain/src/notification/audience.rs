use uuid::Uuid;

/// A group of people to tell; storage turns it into accounts. Shared by every lifecycle's notice table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// The account of one deputy.
    Deputy(Uuid),
    /// The staff of one handling unit.
    Unit(Uuid),
    /// The staff of one congress.
    Staff(Uuid),
    /// Every deputy of one congress (a vote opens, results are out).
    Deputies(Uuid),
    /// The workers of one liaison station.
    Station(Uuid),
    /// One account.
    Account(Uuid),
    /// The citizens following one suggestion (one with a public answer).
    Followers(Uuid),
    /// The citizens following one livelihood project (a VOTED one, public once its round is published).
    ProjectFollowers(Uuid),
}
