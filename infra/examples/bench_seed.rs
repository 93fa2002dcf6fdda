//! Seeds a city's volume of data for the benchmark (bench/run.sh): one congress, 200 handling units,
//! 2,000 deputies (the first 100 with accounts, password `bench1234`), and 100,000 suggestions in every
//! state with one or two units each, built from domain events and bulk-imported.
//!
//! `cargo run --release -p edaibiao-infra --example bench_seed -- postgres://…/edaibiao_bench`

use chrono::{Duration, NaiveDate, Utc};
use edaibiao_domain::account::NewPassword;
use edaibiao_domain::suggestion::{
    Answer, AnswerClass, Contact, ContactMethod, Event, HandlingMode, HandlingRole, Rating, Satisfaction,
    Sitting,
};
use edaibiao_infra::entity::{account, congress, deputy, handling_unit};
use edaibiao_infra::{Cache, DbSettings, Store, secrets, suggestions};
use sea_orm::{ActiveValue::Set, EntityTrait};
use uuid::Uuid;

const UNITS: usize = 200;
const DEPUTIES: usize = 2000;
const ACCOUNTS: usize = 100;
const SUGGESTIONS: usize = 100_000;

/// xorshift64*: reproducible data without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).ok_or("usage: bench_seed <postgres url>")?;
    let settings = DbSettings { url, max_connections: 4, schema: None };
    settings.migrate().await?;
    let store = Store::new(settings.connect().await?, Cache::local());
    let now = Utc::now();
    let mut rng = Rng(0x5eed_1234_abcd_0001);

    let congress_id = Uuid::now_v7();
    congress::Entity::insert(congress::ActiveModel {
        id: Set(congress_id),
        name: Set("基准市第十七届人民代表大会".into()),
        level: Set("CITY".into()),
        region: Set("基准市".into()),
        term: Set(17),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&store.db)
    .await?;

    let units: Vec<Uuid> = (0..UNITS).map(|_| Uuid::now_v7()).collect();
    let unit_rows = units.iter().enumerate().map(|(i, id)| handling_unit::ActiveModel {
        id: Set(*id),
        congress_id: Set(congress_id),
        name: Set(format!("承办单位{i:03}")),
        description: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    });
    handling_unit::Entity::insert_many(unit_rows).exec(&store.db).await?;

    let deputies: Vec<Uuid> = (0..DEPUTIES).map(|_| Uuid::now_v7()).collect();
    for (chunk_no, chunk) in deputies.chunks(500).enumerate() {
        let rows = chunk.iter().enumerate().map(|(i, id)| deputy::ActiveModel {
            id: Set(*id),
            congress_id: Set(congress_id),
            name: Set(format!("代表{:04}", chunk_no * 500 + i)),
            gender: Set(if i % 2 == 0 { "MALE" } else { "FEMALE" }.into()),
            deputy_group_id: Set(None),
            professional_group_id: Set(None),
            occupation: Set("PROFESSIONAL".into()),
            industry: Set(Some("教育".into())),
            liaison_station_id: Set(None),
            bio: Set(None),
            photo_url: Set(None),
            phone: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        deputy::Entity::insert_many(rows).exec(&store.db).await?;
    }

    let hash = secrets::hash_password(&NewPassword::parse("bench1234")?)?;
    let accounts = deputies.iter().take(ACCOUNTS).enumerate().map(|(i, id)| account::ActiveModel {
        id: Set(Uuid::now_v7()),
        phone: Set(format!("1380000{i:04}")),
        password_hash: Set(hash.clone()),
        name: Set(format!("代表{i:04}")),
        role: Set("DEPUTY".into()),
        congress_id: Set(None),
        unit_id: Set(None),
        deputy_id: Set(Some(*id)),
        station_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    });
    account::Entity::insert_many(accounts).exec(&store.db).await?;

    let sitting = Sitting::Session { number: 1 };
    let mut batch = Vec::with_capacity(2000);
    for n in 0..SUGGESTIONS {
        batch.push(history(&mut rng, n, congress_id, sitting, &deputies, &units, now));
        if batch.len() == 2000 {
            suggestions::import(&store, &batch).await?;
            batch.clear();
            eprint!("\rseeded {} suggestions", n + 1);
        }
    }
    suggestions::import(&store, &batch).await?;
    eprintln!("\rseeded {SUGGESTIONS} suggestions, {DEPUTIES} deputies, {UNITS} units");
    Ok(())
}

/// One suggestion's events up to a state drawn from a realistic mix.
fn history(
    rng: &mut Rng,
    n: usize,
    congress_id: Uuid,
    sitting: Sitting,
    deputies: &[Uuid],
    units: &[Uuid],
    now: chrono::DateTime<Utc>,
) -> Vec<Event> {
    let lead = deputies[rng.below(deputies.len())];
    let at = now - Duration::days(365) + Duration::minutes(i64::try_from(n).unwrap_or(0) * 5);
    let mut events = vec![Event::Created {
        id: Uuid::now_v7(),
        congress_id,
        sitting,
        lead_deputy_id: lead,
        title: format!("关于改进第{n}项民生工作的建议"),
        content: "随着城市发展，群众反映的问题日益突出，建议有关部门加强统筹，完善制度，切实解决。".repeat(4),
        category: ["交通", "教育", "医疗", "城建", "环保"][n % 5].into(),
        at,
    }];
    if rng.below(10) < 3 {
        let co = deputies[rng.below(deputies.len())];
        if co != lead {
            events.push(Event::CoSignerInvited { deputy_id: co });
            events.push(Event::CoSignAnswered { deputy_id: co, accepted: true });
        }
    }
    events.push(Event::Submitted { serial: Some(sitting.serial(n as u64 + 1)) });
    let stage = rng.below(10); // 0: proposed, 1-2 assigned, 3-4 handled, 5-6 answered, 7-9 rated
    if stage == 0 {
        return events;
    }
    let lead_unit = units[rng.below(units.len())];
    let mut parts = vec![(lead_unit, HandlingRole::Lead)];
    let co_unit = units[rng.below(units.len())];
    if rng.below(2) == 0 && co_unit != lead_unit {
        parts.push((co_unit, HandlingRole::Co));
    }
    let assigned_at = at + Duration::days(3);
    events.push(Event::Assigned {
        mode: HandlingMode::LeadWithCo,
        units: parts,
        assigned_at,
        due_at: assigned_at + chrono::Months::new(3),
    });
    if stage <= 2 {
        return events;
    }
    events.push(Event::Accepted { unit_id: lead_unit });
    events.push(Event::ContactRecorded {
        contact: Contact {
            unit_id: lead_unit,
            method: ContactMethod::Phone,
            contacted_at: assigned_at,
            summary: "电话沟通".into(),
        },
    });
    if stage <= 4 {
        return events;
    }
    let class = [AnswerClass::Solved, AnswerClass::InProgress, AnswerClass::Deferred][n % 3];
    events.push(Event::Answered {
        unit_id: lead_unit,
        answer: Answer {
            content: "经研究，答复如下……".into(),
            class,
            promised_by: (class == AnswerClass::InProgress)
                .then(|| NaiveDate::from_ymd_opt(2027, 12, 31))
                .flatten(),
            reasons: (class == AnswerClass::Deferred).then(|| "资金尚未落实".to_owned()),
            signed_by: "局长".into(),
            public: n.is_multiple_of(2),
            at: assigned_at + Duration::days(30),
        },
    });
    if stage <= 6 {
        return events;
    }
    events.push(Event::Rated {
        unit_id: lead_unit,
        rating: Rating {
            deputy_id: lead,
            attitude: Satisfaction::Satisfied,
            result: if n.is_multiple_of(7) {
                Satisfaction::BasicallySatisfied
            } else {
                Satisfaction::Satisfied
            },
            comment: None,
            at: assigned_at + Duration::days(40),
        },
        official: true,
    });
    events
}
