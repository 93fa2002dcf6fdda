//! Demo data for a fresh embedded install, so that `cargo run` shows a working app: one city congress with
//! deputies, units, stations, groups, a livelihood-project round, an appraisal, a bill in draft, and an
//! account for every role. Loaded only into an empty database.

use crate::accounts::NewAccount;
use crate::directory::deputies::DeputyLinks;
use crate::directory::{congresses, deputies, named, stations};
use crate::entity::{account, congress};
use crate::error::Result;
use crate::{Error, Store};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Affiliation, NewPassword, Phone, Role};
use edaibiao_domain::directory::{
    CongressDraft, CongressLevel, DeputyDraft, DeputyInput, Gender, NamedDraft, OccupationCategory,
    StationDraft, StationKind,
};
use edaibiao_domain::geo::DivisionCode;
use edaibiao_domain::text::PersonName;
use sea_orm::{EntityTrait, PaginatorTrait};
use uuid::Uuid;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo1234";

/// Demo logins: (phone, role, what it is).
pub const DEMO_LOGINS: [(&str, &str, &str); 7] = [
    ("13900000001", "ADMIN", "platform admin"),
    ("13900000002", "CONGRESS_STAFF", "staff of the city congress (代表工委)"),
    ("13900000003", "DEPUTY", "deputy 张明 (领衔代表)"),
    ("13900000004", "DEPUTY", "deputy 李华"),
    ("13900000005", "UNIT_STAFF", "staff of 市交通运输局"),
    ("13900000006", "CITIZEN", "a citizen"),
    ("13900000007", "STATION_STAFF", "worker of 东城街道人大代表联络站"),
];

fn parse<T>(result: std::result::Result<T, DomainError>) -> Result<T> {
    result.map_err(Error::from)
}

/// Loads the demo data if the database has no congress yet. Returns whether it did.
pub async fn seed_if_empty(store: &Store) -> Result<bool> {
    if congress::Entity::find().count(&store.db).await? > 0
        || account::Entity::find().count(&store.db).await? > 0
    {
        return Ok(false);
    }
    let system = Actor {
        user_id: Uuid::nil(),
        role: Role::Admin,
        congress_id: None,
        unit_id: None,
        deputy_id: None,
        station_id: None,
    };
    let city = congresses::create(
        store,
        &system,
        parse(CongressDraft::parse("示例市第十七届人民代表大会", CongressLevel::City, "示例市", 17))?,
    )
    .await?;

    let group = named::deputy_groups::create(
        store,
        &system,
        city.id,
        parse(NamedDraft::parse("东城区代表团", None))?,
    )
    .await?;
    let group2 = named::deputy_groups::create(
        store,
        &system,
        city.id,
        parse(NamedDraft::parse("西城区代表团", None))?,
    )
    .await?;
    let committee = named::committees::create(
        store,
        &system,
        city.id,
        parse(NamedDraft::parse("城乡建设环境保护工作委员会", Some("对口联系城建、交通、生态环境")))?,
    )
    .await?;
    named::professional_groups::create(
        store,
        &system,
        city.id,
        parse(NamedDraft::parse("城建环保专业小组", None))?,
        Some(committee.id),
    )
    .await?;
    let transport = named::handling_units::create(
        store,
        &system,
        city.id,
        parse(NamedDraft::parse("市交通运输局", None))?,
    )
    .await?;
    let mut other_units = Vec::new();
    let mut housing = None;
    for unit in ["市教育局", "市卫生健康委员会", "市住房和城乡建设局"] {
        let created =
            named::handling_units::create(store, &system, city.id, parse(NamedDraft::parse(unit, None))?)
                .await?;
        other_units.push(created.id);
        if unit == "市住房和城乡建设局" {
            housing = Some(created.id);
        }
    }
    let station = stations::create(
        store,
        &system,
        city.id,
        parse(StationDraft::parse(
            "东城街道人大代表联络站",
            StationKind::Station,
            "示例市东城区和平路88号",
            Some((30.2741, 120.1551)),
            Some("周一至周五 9:00-17:00"),
        ))?
        .in_division(Some(parse(DivisionCode::parse("divisionCode", "330102"))?)),
    )
    .await?;
    stations::create(
        store,
        &system,
        city.id,
        parse(StationDraft::parse(
            "西城区代表之家",
            StationKind::Home,
            "示例市西城区文化路12号",
            Some((30.2592, 120.1300)),
            Some("每月15日接待选民"),
        ))?
        .in_division(Some(parse(DivisionCode::parse("divisionCode", "330106"))?)),
    )
    .await?;

    let people = [
        (
            "张明",
            Gender::Male,
            OccupationCategory::Professional,
            "教育",
            vec!["教育", "城市规划"],
            "13900000003",
            group.id,
        ),
        (
            "李华",
            Gender::Female,
            OccupationCategory::WorkerOrFarmer,
            "制造业",
            vec!["安全生产"],
            "13900000004",
            group.id,
        ),
        (
            "王芳",
            Gender::Female,
            OccupationCategory::BusinessLeader,
            "交通运输",
            vec!["交通"],
            "13900000013",
            group2.id,
        ),
        (
            "赵强",
            Gender::Male,
            OccupationCategory::Official,
            "公共管理",
            vec!["社会治理"],
            "13900000014",
            group2.id,
        ),
        (
            "陈静",
            Gender::Female,
            OccupationCategory::Professional,
            "医疗卫生",
            vec!["医疗", "养老"],
            "13900000015",
            group.id,
        ),
    ];
    let mut deputy_ids = Vec::new();
    for (name, gender, occupation, industry, tags, phone, group_id) in people {
        let tags: Vec<String> = tags.into_iter().map(str::to_owned).collect();
        let input = DeputyInput {
            name,
            occupation_industry: Some(industry),
            expertise: &tags,
            bio: Some("示例代表，热心为群众办实事。"),
            photo_url: None,
            phone: Some(phone),
        };
        let links = DeputyLinks {
            deputy_group_id: Some(group_id),
            professional_group_id: None,
            liaison_station_id: Some(station.id),
        };
        let deputy = deputies::create(
            store,
            &system,
            city.id,
            parse(DeputyDraft::parse(&input, gender, occupation))?,
            links,
        )
        .await?;
        deputy_ids.push(deputy.id);
    }
    if let Some(first) = deputy_ids.first() {
        named::set_committee_link(store, &system, committee.id, *first, true).await?;
    }

    seed_project_round(store, &system, city.id, &other_units[1..]).await?;
    seed_bills(store, &system, city.id, &deputy_ids).await?;
    seed_legislation(store, &system, city.id, deputy_ids.get(..2).unwrap_or_default()).await?;
    seed_learning(store, &system, city.id, group.id, deputy_ids.get(..2).unwrap_or_default()).await?;

    let password = parse(NewPassword::parse(DEMO_PASSWORD))?;
    let affiliations = [
        Affiliation::default(),
        Affiliation { congress_id: Some(city.id), ..Default::default() },
        Affiliation { deputy_id: deputy_ids.first().copied(), ..Default::default() },
        Affiliation { deputy_id: deputy_ids.get(1).copied(), ..Default::default() },
        Affiliation { unit_id: Some(transport.id), ..Default::default() },
        Affiliation::default(),
        Affiliation { station_id: Some(station.id), ..Default::default() },
    ];
    let names = ["管理员", "代表工委刘老师", "张明", "李华", "交通局周科长", "市民孙女士", "联络站王站长"];
    for (((phone, role, _), affiliation), name) in DEMO_LOGINS.iter().zip(affiliations).zip(names) {
        let new = NewAccount {
            phone: parse(Phone::parse(phone))?,
            name: parse(PersonName::parse("name", name))?,
            password: password.clone(),
            role: parse(Role::parse(role))?,
            affiliation,
        };
        crate::accounts::insert_account(&store.db, new).await?;
    }
    crate::duty::seed_default_rules(&store.db, city.id).await?;
    if let Some(housing) = housing {
        demo_appraisal(store, city.id, housing, deputy_ids.get(2..4).unwrap_or_default()).await?;
    }
    Ok(true)
}

/// Learning materials (a law for every deputy, a work report PDF for 东城区代表团, a video course assigned to
/// 张明 and 李华, not yet completed), two news items (one important) and two documents (a public law, an
/// internal rule). Seeded before any account exists, so nobody is notified.
async fn seed_learning(
    store: &Store,
    system: &Actor,
    congress_id: Uuid,
    group_id: Uuid,
    assigned: &[Uuid],
) -> Result<()> {
    use crate::learning;
    use edaibiao_domain::learning::{
        MaterialAudience, MaterialCategory, MaterialKind, NewDocument, NewMaterial, NewNewsItem,
    };
    let materials = [
        (
            NewMaterial::parse(
                "中华人民共和国全国人民代表大会和地方各级人民代表大会代表法（学习要点）",
                Some(
                    "代表依法享有审议权、表决权、提出议案和建议的权利，应当与原选区选民或者原选举单位保持密切联系。",
                ),
                MaterialKind::Article,
                MaterialCategory::LawsAndRegulations,
                None,
            ),
            MaterialAudience::AllDeputies,
        ),
        (
            NewMaterial::parse(
                "示例市人民政府工作报告（全文）",
                Some("供东城区代表团审议参考。"),
                MaterialKind::Pdf,
                MaterialCategory::WorkReports,
                Some("https://www.example.cn/reports/government-work-report.pdf"),
            ),
            MaterialAudience::Group(group_id),
        ),
        (
            NewMaterial::parse(
                "新任代表履职能力培训：如何提出高质量的建议",
                Some("培训课程，约45分钟，学完后请点击“完成学习”。"),
                MaterialKind::Video,
                MaterialCategory::TrainingCourses,
                Some("https://video.example.cn/training/suggestions.mp4"),
            ),
            parse(MaterialAudience::assigned(assigned.to_vec()))?,
        ),
    ];
    for (material, audience) in materials {
        learning::publish_material(store, system, congress_id, parse(material)?, audience, None).await?;
    }
    for (title, body, important) in [
        ("市人大常委会召开第十二次会议", "会议听取和审议了市人民政府关于生态环境保护工作情况的报告。", false),
        ("示例市第十七届人民代表大会第一次会议将于下月召开", "请各位代表做好参会准备，按时报到。", true),
    ] {
        learning::publish_news(
            store,
            system,
            congress_id,
            parse(NewNewsItem::parse(title, body, important))?,
            None,
        )
        .await?;
    }
    for (title, category, public) in [
        (
            "中华人民共和国地方各级人民代表大会和地方各级人民政府组织法",
            MaterialCategory::LawsAndRegulations,
            true,
        ),
        ("示例市人大常委会代表工作规则", MaterialCategory::CongressRules, false),
    ] {
        let doc = NewDocument::parse(title, "（全文略，见官方文本。）", category, None, public);
        learning::publish_document(store, system, congress_id, parse(doc)?, None).await?;
    }
    Ok(())
}

/// One OPEN round of livelihood projects (民生实事项目票决) with three candidates of the health and housing
/// bodies, for the app to show. Seeded before any account exists, so nobody is notified.
/// The city congress in its first session (bills can be tabled), and a bill 张明 drafts (代表议案) with
/// 李华 co-sponsoring and 陈静 invited: the demo shows co-sponsoring; tabling needs the city's ten
/// co-sponsors or his delegation (东城区代表团, tabled by staff). Seeded as a draft, before any account
/// exists, so nobody is notified and no duty archive changes.
async fn seed_bills(store: &Store, system: &Actor, congress_id: Uuid, deputies: &[Uuid]) -> Result<()> {
    use crate::bills;
    let (Some(zhang), Some(li), Some(chen)) = (deputies.first(), deputies.get(1), deputies.get(4)) else {
        return Ok(());
    };
    bills::set_settings(store, system, congress_id, None, Some(1)).await?;
    let deputy = |id: Uuid| Actor {
        user_id: Uuid::nil(),
        role: Role::Deputy,
        congress_id: Some(congress_id),
        unit_id: None,
        deputy_id: Some(id),
        station_id: None,
    };
    let text = parse(edaibiao_domain::bill::BillText::parse(
        "关于制定《示例市城市绿化条例》的议案",
        "本市城市绿地总量不足、分布不均，现行规定层级较低，难以适应城市发展需要。",
        "一、明确绿地规划、建设和保护的责任主体；二、规定新建项目绿地率下限；三、建立古树名木保护制度。",
    ))?;
    let bill = bills::draft(store, &deputy(*zhang), text, None).await?;
    bills::invite(store, &deputy(*zhang), bill.id, &[*li, *chen], None).await?;
    bills::answer_invitation(store, &deputy(*li), bill.id, true).await?;
    Ok(())
}

async fn seed_project_round(store: &Store, system: &Actor, congress_id: Uuid, units: &[Uuid]) -> Result<()> {
    use crate::projects::{self, OpenRound, ProjectDraft};
    use edaibiao_domain::ballot::BallotForm;
    use edaibiao_domain::project::Budget;
    use edaibiao_domain::text::{Body, Note, Title};
    let now = chrono::Utc::now();
    let year = chrono::Datelike::year(&(now + chrono::Duration::hours(8))) + 1;
    let open = OpenRound {
        congress_id,
        year,
        title: parse(Title::parse("title", &format!("{year}年示例市民生实事项目票决")))?,
        form: BallotForm::ChooseUpTo,
        seats: 2,
    };
    let round = projects::open_round(store, system, open, None).await?;
    let candidates = [
        ("社区嵌入式养老服务站建设", "在东城、西城新建10个社区养老服务站。", 12_000_000_000_i64),
        ("老旧小区加装电梯", "为符合条件的老旧小区加装电梯200台。", 30_000_000_000),
        ("基层医疗机构能力提升", "为社区卫生服务中心添置设备、培训全科医生。", 8_000_000_000),
    ];
    for (i, (title, description, fen)) in candidates.into_iter().enumerate() {
        let draft = ProjectDraft {
            title: parse(Title::parse("title", title))?,
            description: parse(Body::parse("description", description))?,
            unit_id: units[i % units.len()],
            budget: parse(Budget::from_fen(fen))?,
            expected_outcome: parse(Note::parse("expectedOutcome", "年底前全部建成并投入使用"))?,
            milestones: vec![
                (parse(Title::parse("milestones", "完成立项"))?, now + chrono::Duration::days(120)),
                (parse(Title::parse("milestones", "建成投用"))?, now + chrono::Duration::days(360)),
            ],
            sources: Vec::new(),
        };
        projects::add_candidate(store, system, round.id, draft, None).await?;
    }
    Ok(())
}

/// Open legislation (开门立法): an open call for next year's legislative plan and a draft regulation open
/// for comment (two chapters, four articles) linked to 张明 and 李华. Seeded before any account exists, so
/// nobody is notified.
async fn seed_legislation(store: &Store, system: &Actor, congress_id: Uuid, linked: &[Uuid]) -> Result<()> {
    use crate::legislation::{self, NewCall, NewDraft};
    use edaibiao_domain::legislation::ArticleInput;
    use edaibiao_domain::text::{Body, Title};
    let now = chrono::Utc::now();
    let year = chrono::Datelike::year(&(now + chrono::Duration::hours(8))) + 1;
    let call = NewCall {
        congress_id,
        title: parse(Title::parse("title", &format!("{year}年度示例市立法计划建议项目征集")))?,
        description: parse(Body::parse(
            "description",
            "欢迎人大代表和社会各界提出制定、修改地方性法规的建议项目，请写明法规名称和立法理由。",
        ))?,
        opens_at: None,
        closes_at: now + chrono::Duration::days(30),
    };
    legislation::publish_call(store, system, call, None).await?;
    let articles = [
        (
            "第一章 总则",
            "第一条",
            "为了规范养犬行为，保障公民健康和人身安全，维护市容环境和社会公共秩序，根据有关法律、行政法规，结合本市实际，制定本条例。",
        ),
        ("第一章 总则", "第二条", "本市行政区域内养犬和养犬管理活动，适用本条例。"),
        ("第二章 养犬管理", "第三条", "本市对养犬实行登记制度。未经登记，任何单位和个人不得养犬。"),
        ("第二章 养犬管理", "第四条", "携犬出户时，应当为犬只佩戴犬牌并采取系犬绳等措施，防止犬只伤害他人。"),
    ];
    let mut parsed = Vec::with_capacity(articles.len());
    for (chapter, number, text) in articles {
        parsed.push(parse(ArticleInput::parse(Some(chapter), number, text, None, None))?);
    }
    let draft = NewDraft {
        congress_id,
        title: parse(Title::parse("title", "示例市养犬管理条例（草案）"))?,
        description: parse(Body::parse(
            "description",
            "市人大常委会将《示例市养犬管理条例（草案）》公开征求意见，可逐条提出修改意见，也可对草案整体提出意见。",
        ))?,
        opens_at: None,
        closes_at: now + chrono::Duration::days(30),
        articles: parsed,
        linked: linked.to_vec(),
    };
    legislation::publish_draft(store, system, draft, None).await?;
    Ok(())
}

/// One small demo appraisal (评议): 市住房和城乡建设局's work on 老旧小区改造 this year, opened by the demo
/// staff with 王芳 and 赵强 (deputies without logins) as its group, waiting for the unit's report.
async fn demo_appraisal(store: &Store, congress_id: Uuid, unit_id: Uuid, group: &[Uuid]) -> Result<()> {
    let phone = parse(Phone::parse(DEMO_LOGINS[1].0))?;
    let Some(account) = crate::accounts::with_phone(store, &phone).await? else { return Ok(()) };
    let staff = Actor {
        user_id: account.id,
        role: Role::CongressStaff,
        congress_id: Some(congress_id),
        unit_id: None,
        deputy_id: None,
        station_id: None,
    };
    let today = edaibiao_domain::appraisal::today(chrono::Utc::now());
    let year = chrono::Datelike::year(&today);
    let chosen = demo_choice(store, &staff, congress_id, year, unit_id, group).await?;
    let input = crate::appraisals::OpenInput {
        congress_id,
        year,
        unit_id,
        subject: crate::appraisals::SubjectInput::UnitWork {
            topic: parse(edaibiao_domain::text::Label::parse("topic", "老旧小区改造"))?,
        },
        group: group.to_vec(),
        report_due: today + chrono::Duration::days(14),
        rectification_due: today + chrono::Duration::days(60),
        voting_from: today + chrono::Duration::days(75),
        voting_until: today + chrono::Duration::days(82),
        choice_candidate: chosen,
    };
    crate::appraisals::open(store, &staff, input).await?;
    Ok(())
}

/// The demo vote on whom to appraise: three topics of the unit's work, one to choose, the group's two
/// deputies as the voting members; both choose 老旧小区改造, and staff close the vote. Returns the chosen
/// candidate.
async fn demo_choice(
    store: &Store,
    staff: &Actor,
    congress_id: Uuid,
    year: i32,
    unit_id: Uuid,
    members: &[Uuid],
) -> Result<Option<Uuid>> {
    use crate::appraisals::choice::{self, CandidateInput, OpenChoiceInput};
    use edaibiao_domain::text::Label;
    let mut candidates = Vec::new();
    for topic in ["老旧小区改造", "优化营商环境", "城市停车管理"] {
        let topic = parse(Label::parse("topic", topic))?;
        candidates
            .push(CandidateInput { unit_id, subject: crate::appraisals::SubjectInput::UnitWork { topic } });
    }
    let input = OpenChoiceInput {
        congress_id,
        year,
        title: parse(Label::parse("title", "年度工作评议对象票决"))?,
        seats: 1,
        candidates,
        voters: members.to_vec(),
    };
    let vote = choice::open(store, staff, input).await?;
    let Some(first) = vote.candidates.first().map(|c| c.id) else { return Ok(None) };
    for member in members {
        let deputy = Actor {
            user_id: *member,
            role: Role::Deputy,
            congress_id: Some(congress_id),
            unit_id: None,
            deputy_id: Some(*member),
            station_id: None,
        };
        choice::cast(store, &deputy, vote.id, vec![first], None).await?;
    }
    choice::close(store, staff, vote.id).await?;
    Ok(Some(first))
}
