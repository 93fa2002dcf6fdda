//! Secret ballots against a real database: each ballot is counted once, a second ballot from the same voter
//! is a CONFLICT (also when sent at the same moment), and what is stored cannot tell who chose what. Runs on
//! SQLite, and on PostgreSQL + Redis when `TEST_DATABASE_URL` and `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use chrono::Utc;
use edaibiao_domain::DomainError;
use edaibiao_domain::ballot::{Ballot, BallotForm, Mark, Question};
use edaibiao_infra::ballots::{self, BallotBox, Voter};
use edaibiao_infra::entity::{ballot_register, ballot_tally};
use edaibiao_infra::{Error, Store};
use sea_orm::{ColumnTrait, EntityTrait, Iterable, QueryFilter, TransactionTrait};
use uuid::Uuid;

mod common;
use common::store;

const BOX: BallotBox = BallotBox { kind: "TEST_ROUND", id: Uuid::from_u128(7) };

fn question() -> Question {
    Question::new(BallotForm::ChooseUpTo, (1..=3).map(Uuid::from_u128).collect(), 2).unwrap()
}

fn choose(ids: &[u128]) -> Ballot {
    Ballot::parse(&question(), ids.iter().map(|i| (Uuid::from_u128(*i), Mark::Chosen)).collect()).unwrap()
}

async fn cast(store: &Store, voter: Voter, ballot: &Ballot) -> Result<(), Error> {
    let txn = store.db.begin().await?;
    ballots::cast(&txn, BOX, &voter, ballot, Utc::now()).await?;
    txn.commit().await?;
    Ok(())
}

async fn each_backend(test: impl AsyncFn(Store)) {
    test(store(false).await.unwrap()).await;
    if let Some(store) = store(true).await {
        test(store).await;
    }
}

#[tokio::test]
async fn ballots_are_counted_once_per_voter() {
    each_backend(async |store: Store| {
        let (a, b, c) = (Uuid::from_u128(11), Uuid::from_u128(12), Uuid::from_u128(13));
        cast(&store, Voter::Deputy(a), &choose(&[1, 2])).await.unwrap();
        cast(&store, Voter::Deputy(b), &choose(&[1])).await.unwrap();
        cast(&store, Voter::Phone("digest".into()), &choose(&[2, 3])).await.unwrap();
        let again = cast(&store, Voter::Deputy(a), &choose(&[3])).await;
        assert!(matches!(again, Err(Error::Domain(DomainError::Conflict(_)))), "{again:?}");
        assert!(ballots::has_voted(&store.db, BOX, &Voter::Deputy(a)).await.unwrap());
        assert!(!ballots::has_voted(&store.db, BOX, &Voter::Deputy(c)).await.unwrap());
        assert_eq!(ballots::turnout(&store.db, BOX).await.unwrap(), 3);
        let tallies = ballots::tallies(&store.db, BOX).await.unwrap();
        let chosen: Vec<(u128, u32)> = tallies.iter().map(|(id, t)| (id.as_u128(), t.chosen)).collect();
        assert_eq!(chosen, vec![(1, 2), (2, 2), (3, 1)], "the refused ballot added nothing");
        let other = BallotBox { kind: "TEST_ROUND", id: Uuid::from_u128(8) };
        assert_eq!(ballots::turnout(&store.db, other).await.unwrap(), 0, "boxes are apart");
    })
    .await;
}

#[tokio::test]
async fn ballots_sent_at_once_by_one_voter_count_once() {
    each_backend(async |store: Store| {
        let voter = Uuid::from_u128(21);
        let tries = (0..8).map(|_| {
            let store = store.clone();
            tokio::spawn(async move { cast(&store, Voter::Deputy(voter), &choose(&[1])).await })
        });
        let outcomes: Vec<_> =
            futures_util::future::join_all(tries).await.into_iter().map(Result::unwrap).collect();
        assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "{outcomes:?}");
        for refused in outcomes.iter().filter_map(|o| o.as_ref().err()) {
            assert!(matches!(refused, Error::Domain(DomainError::Conflict(_))), "{refused:?}");
        }
        let tallies = ballots::tallies(&store.db, BOX).await.unwrap();
        assert_eq!(tallies.len(), 1);
        assert_eq!(tallies[0].1.chosen, 1);
    })
    .await;
}

/// Secrecy by construction: the register has no column that says what was chosen, the counts none that says
/// who voted, and the only columns they share name the ballot box. After three ballots the counts are sums
/// that hold no ballot of their own.
#[tokio::test]
async fn the_register_and_the_counts_cannot_be_joined() {
    let register: Vec<String> = ballot_register::Column::iter().map(|c| format!("{c:?}")).collect();
    let counts: Vec<String> = ballot_tally::Column::iter().map(|c| format!("{c:?}")).collect();
    assert_eq!(register, ["BoxKind", "BoxId", "Voter", "CastAt"]);
    assert_eq!(counts, ["BoxKind", "BoxId", "CandidateId", "Mark", "Votes"]);
    let shared: Vec<&String> = register.iter().filter(|c| counts.contains(c)).collect();
    assert_eq!(shared, ["BoxKind", "BoxId"]);
    each_backend(async |store: Store| {
        for (i, pick) in [[1u128, 2], [1, 3], [2, 3]].iter().enumerate() {
            cast(&store, Voter::Deputy(Uuid::from_u128(100 + i as u128)), &choose(pick)).await.unwrap();
        }
        let rows = ballot_tally::Entity::find()
            .filter(ballot_tally::Column::BoxKind.eq(BOX.kind))
            .filter(ballot_tally::Column::BoxId.eq(BOX.id))
            .all(&store.db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 3, "one row per candidate and mark, not per ballot");
        assert!(rows.iter().all(|r| r.votes == 2));
    })
    .await;
}
