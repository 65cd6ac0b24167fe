//! The knowledge base over HTTP: Chinese and English search with highlights and the
//! zero-result log, audiences (internal articles are "not found" for customers), SOP flow
//! runs with gateway branching, field errors, rollback, version freezing and the ticket a
//! flow registers, the editorial workflow through the use cases (index updated on publish),
//! and the answer bot's multi-turn conversation and hand-over.

use std::collections::BTreeMap;

use app::knowledge;
use loopdesk::clock::Clock;
use loopdesk::kb::{ArticleAction, ArticleContent, Audience};
use loopdesk::locale::Locale;
use loopdesk::user::LoginName;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::test_app::{get, login, post, TestApp, PASSWORD};

fn text(runs: &Value) -> String {
    runs.as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect()
}

fn marked(runs: &Value) -> Vec<String> {
    runs.as_array()
        .unwrap()
        .iter()
        .filter(|r| r[1] == true)
        .map(|r| r[0].as_str().unwrap().to_owned())
        .collect()
}

async fn user(app: &TestApp, login: &str) -> loopdesk::user::User {
    let name = match login.chars().all(|c| c.is_ascii_digit()) {
        true => LoginName::Phone(login.into()),
        false => LoginName::Username(login.into()),
    };
    app.state
        .stores
        .users
        .find_for_login(&name)
        .await
        .unwrap()
        .unwrap()
        .0
}

#[tokio::test]
async fn chinese_and_english_searches_rank_and_highlight_the_seeded_articles() {
    let app = TestApp::spawn().await;
    let agent = login(&app, "agent").await;
    let q = |s: &str| format!("/api/v1/kb/search?q={}", urlencode(s));
    // Two characters, a customer's sentence, one character, English and mixed text.
    for (query, expected) in [
        ("断网", "宽带断网怎么办"),
        ("我家宽带上不了网了怎么办", "宽带断网怎么办"),
        ("携号转网需要什么条件", "携号转网办理条件"),
        ("发票", "如何开具电子发票"),
    ] {
        let (s, hits) = get(&app, &agent, &q(query)).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(text(&hits[0]["title"]), expected, "query {query}: {hits}");
    }
    let (_, hits) = get(&app, &agent, &q("光猫")).await;
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| marked(&h["snippet"]).contains(&"光猫".to_owned())),
        "光猫 is highlighted: {hits}"
    );
    let en = app.client();
    assert_eq!(
        en.post(app.url("/api/v1/session"))
            .header("accept-language", "en")
            .json(&json!({"username": "agent", "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let (_, hits) = get(&app, &en, &q("refunds")).await;
    assert!(
        !hits.as_array().unwrap().is_empty(),
        "stemmed English finds refund: {hits}"
    );
    // Synonym: 资费 finds 套餐 articles.
    let (_, hits) = get(&app, &agent, &q("资费变更")).await;
    assert_eq!(text(&hits[0]["title"]), "如何变更套餐", "{hits}");
    // Filters: flows only, a category.
    let (_, hits) = get(
        &app,
        &agent,
        "/api/v1/kb/search?q=%E5%AE%BD%E5%B8%A6&kind=flow",
    )
    .await;
    assert!(hits.as_array().unwrap().iter().all(|h| h["kind"] == "flow"));
    assert_eq!(text(&hits[0]["title"]), "宽带故障自助排查");
    let (_, hits) = get(&app, &agent, &format!("{}&category=billing", q("查询"))).await;
    assert!(hits
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["category"]["code"]
            .as_str()
            .unwrap()
            .starts_with("billing")));
    // Bad filters are named.
    let (s, e) = get(&app, &agent, &format!("{}&audience=everyone", q("话费"))).await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("audience"))
    );
    let (s, _) = get(&app, &agent, &q(&"话".repeat(201))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // A query nothing matches is recorded for editors.
    let (_, hits) = get(&app, &agent, &q("量子纠缠")).await;
    assert!(hits.as_array().unwrap().is_empty());
    let zero = app.state.stores.knowledge.zero_results(10).await.unwrap();
    assert!(zero
        .iter()
        .any(|z| z.query == "量子纠缠" && z.audience == Audience::Internal));
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn customers_see_public_articles_only_and_internal_ones_are_not_found() {
    let app = TestApp::spawn().await;
    let customer = login(&app, "13800000001").await;
    let agent = login(&app, "agent").await;
    let q = format!("/api/v1/kb/search?q={}", urlencode("投诉时限"));
    let (_, staff_hits) = get(&app, &agent, &q).await;
    let internal = staff_hits
        .as_array()
        .unwrap()
        .iter()
        .find(|h| text(&h["title"]) == "投诉处理时限（内部）")
        .expect("staff find the internal article")
        .clone();
    let (_, hits) = get(&app, &customer, &format!("{q}&audience=internal")).await;
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .all(|h| h["id"] != internal["id"]),
        "customers never get internal hits, whatever they ask for"
    );
    let path = format!("/api/v1/kb/articles/{}", internal["id"].as_str().unwrap());
    assert_eq!(get(&app, &customer, &path).await.0, StatusCode::NOT_FOUND);
    let (s, a) = get(&app, &agent, &path).await;
    assert_eq!(
        (s, a["audience"]["code"].as_str()),
        (StatusCode::OK, Some("internal"))
    );
    assert!(a["html"].as_str().unwrap().contains("<strong>"));
    // A public article counts views.
    let public = hits.as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, first) = get(&app, &customer, &format!("/api/v1/kb/articles/{public}")).await;
    let (_, second) = get(&app, &customer, &format!("/api/v1/kb/articles/{public}")).await;
    assert_eq!(
        second["views"].as_u64(),
        first["views"].as_u64().map(|v| v + 1)
    );
    assert_eq!(
        get(&app, &customer, "/api/v1/kb/articles/not-an-id")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.client().get(app.url(&q)).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn flow_id(app: &TestApp, c: &reqwest::Client, title: &str) -> String {
    let (s, flows) = get(app, c, "/api/v1/kb/flows").await;
    assert_eq!(s, StatusCode::OK);
    flows
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["title"] == title)
        .unwrap_or_else(|| panic!("{title} in {flows}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_customer_runs_the_broadband_flow_with_branching_rollback_and_a_registered_ticket() {
    let app = TestApp::spawn().await;
    let customer = login(&app, "13800000001").await;
    let id = flow_id(&app, &customer, "宽带故障自助排查").await;
    let (s, flow) = get(&app, &customer, &format!("/api/v1/kb/flows/{id}")).await;
    assert_eq!(
        (s, flow["editable"].as_bool()),
        (StatusCode::OK, Some(false))
    );
    assert!(flow["diagram"]["nodes"].as_array().unwrap().len() >= 6);
    let (s, run) = post(
        &app,
        &customer,
        &format!("/api/v1/kb/flows/{id}/runs"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{run}");
    assert_eq!(run["node"], "light");
    let rid = run["id"].as_str().unwrap().to_owned();
    let submit = |rev: u64, answers: Value| {
        let c = customer.clone();
        let url = format!("/api/v1/kb/runs/{rid}/submit");
        let app = &app;
        async move { post(app, &c, &url, json!({"rev": rev, "answers": answers})).await }
    };
    // A field error names the field; nothing moves.
    let (s, e) = submit(1, json!({"los": "blue"})).await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("los"))
    );
    // LOS off → restart step; not online → the visit step.
    let (s, run) = submit(1, json!({"los": "off"})).await;
    assert_eq!(
        (s, run["node"].as_str()),
        (StatusCode::OK, Some("restart")),
        "{run}"
    );
    let (_, run) = submit(2, json!({"online": "no"})).await;
    assert_eq!(run["node"], "address");
    // Roll back to the restart step: its answer is offered again.
    let (s, back) = post(
        &app,
        &customer,
        &format!("/api/v1/kb/runs/{rid}/rollback"),
        json!({"rev": 3}),
    )
    .await;
    assert_eq!(
        (s, back["node"].as_str()),
        (StatusCode::OK, Some("restart"))
    );
    assert_eq!(back["fields"][0]["value"], "no");
    assert_eq!(back["history"].as_array().unwrap().len(), 2);
    assert_eq!(back["history"][1]["rolled_back"], true);
    // A stale version is a conflict.
    let (s, _) = submit(3, json!({"online": "no"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, run) = submit(4, json!({"online": "no"})).await;
    let (s, done) = submit(5, json!({"visit_date": "2026-11-25", "note": "下午在家"})).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(
        (done["finished"].as_bool(), run["node"].as_str()),
        (Some(true), Some("address"))
    );
    let number = done["ticket"]
        .as_str()
        .expect("a ticket was registered")
        .to_owned();
    let ticket = app
        .state
        .stores
        .tickets
        .ticket_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ticket.ticket.channel.code(), "portal");
    assert_eq!(ticket.ticket.kind.code(), "fault_report");
    assert!(
        ticket.details.subject.contains("2026-11-25"),
        "{}",
        ticket.details.subject
    );
    assert!(ticket.details.description.contains("下午在家"));
    assert!(ticket.details.description.contains("宽带故障自助排查"));
    // Finished with a ticket: no more steps, no rollback.
    assert_eq!(submit(6, json!({})).await.0, StatusCode::CONFLICT);
    let (s, _) = post(
        &app,
        &customer,
        &format!("/api/v1/kb/runs/{rid}/rollback"),
        json!({"rev": 6}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Someone else's run does not exist for them.
    let agent = login(&app, "agent").await;
    assert_eq!(
        get(&app, &agent, &format!("/api/v1/kb/runs/{rid}")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn publishing_freezes_a_flow_version_and_running_flows_keep_theirs() {
    let app = TestApp::spawn().await;
    let (stores, index) = (&app.state.stores, app.state.search.as_ref());
    let supervisor = user(&app, "supervisor").await;
    let agent_user = user(&app, "agent").await;
    let now = app.clock.now();
    let flows = knowledge::list_flows(stores, Some(&supervisor), Locale::ZhCn)
        .await
        .unwrap();
    let id: Uuid = flows
        .iter()
        .find(|f| f.title == "套餐变更")
        .unwrap()
        .id
        .parse()
        .unwrap();
    let run = knowledge::start_run(stores, &agent_user, id, None, Locale::ZhCn, now)
        .await
        .unwrap();
    assert_eq!(run.version, 1);
    // The supervisor breaks the working copy: publishing refuses with every problem.
    let view = knowledge::flow_view(stores, Some(&supervisor), id, Locale::ZhCn)
        .await
        .unwrap();
    let mut broken = view.def.clone();
    broken.edges.retain(|e| e.from != "small_gw");
    let input = |def| knowledge::FlowInput {
        def,
        audience: Audience::Public,
        category: "plans/change".into(),
        keywords: vec!["换套餐".into()],
    };
    knowledge::save_flow(stores, &supervisor, id, view.rev, input(broken), now)
        .await
        .unwrap();
    let refused = knowledge::publish_flow(stores, index, &supervisor, id, view.rev + 1, now).await;
    assert!(
        matches!(refused, Err(app::desk::DeskError::Flow(ref p)) if !p.is_empty()),
        "{refused:?}"
    );
    let mut fixed = view.def.clone();
    fixed.title_zh = "套餐变更（新版）".into();
    knowledge::save_flow(stores, &supervisor, id, view.rev + 1, input(fixed), now)
        .await
        .unwrap();
    assert!(matches!(
        knowledge::save_flow(
            stores,
            &supervisor,
            id,
            view.rev,
            input(view.def.clone()),
            now
        )
        .await,
        Err(app::desk::DeskError::Conflict { .. })
    ));
    // Agents may not edit flows.
    assert_eq!(
        knowledge::publish_flow(stores, index, &agent_user, id, view.rev + 2, now).await,
        Err(app::desk::DeskError::Forbidden)
    );
    let v = knowledge::publish_flow(stores, index, &supervisor, id, view.rev + 2, now)
        .await
        .unwrap();
    assert_eq!(v, 2);
    let old = knowledge::get_run(stores, &agent_user, run.id.parse().unwrap(), Locale::ZhCn)
        .await
        .unwrap();
    assert_eq!(
        (old.version, old.title.as_str()),
        (1, "套餐变更"),
        "the running flow keeps version 1"
    );
    let new = knowledge::start_run(stores, &agent_user, id, None, Locale::ZhCn, now)
        .await
        .unwrap();
    assert_eq!((new.version, new.title.as_str()), (2, "套餐变更（新版）"));
    // The index has the new title at once.
    let q = knowledge::SearchInput {
        text: "新版".into(),
        ..Default::default()
    };
    let hits = knowledge::search(stores, index, Some(&agent_user), q, Locale::ZhCn, now)
        .await
        .unwrap();
    assert_eq!(hits[0].id, id.to_string());
    // A gateway on a number: 60 GB a month goes to the big plan, the outcome registers
    // nothing for a staff run without a customer (the agent registers it).
    let mut answers = BTreeMap::new();
    answers.insert("data_gb".to_owned(), "60".to_owned());
    answers.insert("minutes".to_owned(), "300".to_owned());
    answers.insert("contract".to_owned(), "no".to_owned());
    let step = knowledge::submit_run(
        stores,
        &agent_user,
        new.id.parse().unwrap(),
        new.rev,
        answers,
        Locale::ZhCn,
        now,
    )
    .await
    .unwrap();
    assert_eq!(step.node, "big");
    let mut yes = BTreeMap::new();
    yes.insert("big_confirm".to_owned(), "yes".to_owned());
    let end = knowledge::submit_run(
        stores,
        &agent_user,
        new.id.parse().unwrap(),
        step.rev,
        yes,
        Locale::ZhCn,
        now,
    )
    .await
    .unwrap();
    assert!(end.finished && end.ticket.is_none());
    assert!(end.outcome.contains("60GB"), "{}", end.outcome);
}

#[tokio::test]
async fn the_review_workflow_publishes_into_the_index_and_keeps_versions() {
    let app = TestApp::spawn().await;
    let (stores, index) = (&app.state.stores, app.state.search.as_ref());
    let (agent_user, supervisor, admin) = (
        user(&app, "agent").await,
        user(&app, "supervisor").await,
        user(&app, "admin").await,
    );
    let now = app.clock.now();
    let content = |title: &str| ArticleContent {
        title: title.into(),
        body: "拨打 10010 按 5 号键办理**话费分期**。<script>alert(1)</script>".into(),
        category: "billing/payment".into(),
        tags: vec!["分期".into()],
        similar_questions: vec!["话费可以分期吗".into()],
        audience: Audience::Public,
        en: None,
    };
    let id = knowledge::create_article(stores, &agent_user, content("话费分期"), now)
        .await
        .unwrap();
    let search = |text: &str| {
        let q = knowledge::SearchInput {
            text: text.into(),
            ..Default::default()
        };
        knowledge::search(stores, index, Some(&agent_user), q, Locale::ZhCn, now)
    };
    assert!(search("话费分期")
        .await
        .unwrap()
        .iter()
        .all(|h| h.id != id.to_string()));
    let act = |who: &loopdesk::user::User, rev: u32, action: ArticleAction| {
        let who = who.clone();
        async move { knowledge::act_on_article(stores, index, &who, id, rev, action, now).await }
    };
    act(
        &agent_user,
        1,
        ArticleAction::Edit {
            content: content("话费分期办理"),
        },
    )
    .await
    .unwrap();
    act(&agent_user, 2, ArticleAction::Submit).await.unwrap();
    assert_eq!(
        act(&agent_user, 3, ArticleAction::Publish).await,
        Err(app::desk::DeskError::Article(
            loopdesk::kb::ArticleError::NotEditor
        ))
    );
    assert!(matches!(
        act(&supervisor, 2, ArticleAction::Publish).await,
        Err(app::desk::DeskError::Conflict { .. })
    ));
    act(&supervisor, 3, ArticleAction::Publish).await.unwrap();
    let hits = search("分期").await.unwrap();
    assert_eq!(
        hits[0].id,
        id.to_string(),
        "published articles are found at once"
    );
    let edit = knowledge::article_edit(stores, &admin, id, Locale::ZhCn, now)
        .await
        .unwrap();
    assert_eq!(
        edit.versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert!(
        edit.actions.contains(&"archive".to_owned()) && edit.actions.contains(&"revise".to_owned())
    );
    let diff = knowledge::article_diff(stores, &agent_user, id, 1, 2)
        .await
        .unwrap();
    assert!(diff
        .iter()
        .any(|d| d.op == "added" && d.line == "# 话费分期办理"));
    assert!(diff
        .iter()
        .any(|d| d.op == "removed" && d.line == "# 话费分期"));
    let view = knowledge::read_article(stores, None, id, Locale::ZhCn)
        .await
        .unwrap();
    assert!(!view.html.contains("<script>") && view.html.contains("<strong>话费分期</strong>"));
    // Archiving takes it out of the index.
    act(&admin, 4, ArticleAction::Archive).await.unwrap();
    assert!(search("分期")
        .await
        .unwrap()
        .iter()
        .all(|h| h.id != id.to_string()));
    assert_eq!(
        knowledge::read_article(stores, None, id, Locale::ZhCn).await,
        Err(app::desk::DeskError::NotFound)
    );
}

#[tokio::test]
async fn the_answer_bot_offers_choices_a_flow_and_hands_over_with_the_transcript() {
    let app = TestApp::spawn().await;
    let (stores, index) = (&app.state.stores, app.state.search.as_ref());
    let customer = user(&app, "13800000001").await;
    let now = app.clock.now();
    let bot = knowledge::bot_start(stores, &customer, Locale::ZhCn, now)
        .await
        .unwrap();
    let id: Uuid = bot.id.parse().unwrap();
    // A clear question gets an answer directly.
    let v = knowledge::bot_ask(
        stores,
        index,
        &customer,
        id,
        bot.rev,
        "怎么开电子发票",
        Locale::ZhCn,
        now,
    )
    .await
    .unwrap();
    let last = v.lines.last().unwrap();
    assert_eq!(last.text, "如何开具电子发票", "{v:?}");
    assert!(last
        .html
        .as_deref()
        .unwrap_or_default()
        .contains("增值税电子普通发票"));
    assert!(v.can_rate);
    // A vague one offers candidates to choose from.
    let v = knowledge::bot_ask(
        stores,
        index,
        &customer,
        id,
        v.rev,
        "宽带",
        Locale::ZhCn,
        now,
    )
    .await
    .unwrap();
    assert!(v.choices.len() >= 2, "{v:?}");
    let chosen: Uuid = v.choices[0].0.parse().unwrap();
    assert!(matches!(
        knowledge::bot_choose(
            stores,
            &customer,
            id,
            v.rev,
            Uuid::new_v4(),
            Locale::ZhCn,
            now
        )
        .await,
        Err(app::desk::DeskError::Bot(
            loopdesk::kb::bot::BotError::NotOffered
        ))
    ));
    let v = knowledge::bot_choose(stores, &customer, id, v.rev, chosen, Locale::ZhCn, now)
        .await
        .unwrap();
    // "Did not help" offers the public broadband flow.
    let v = knowledge::bot_feedback(
        stores,
        index,
        &customer,
        id,
        v.rev,
        false,
        Locale::ZhCn,
        now,
    )
    .await
    .unwrap();
    let flow = v
        .lines
        .last()
        .unwrap()
        .flow
        .clone()
        .expect("a flow is offered");
    assert_eq!(flow.1, "宽带故障自助排查");
    let v = knowledge::bot_hand_over(stores, &customer, id, v.rev, Locale::ZhCn, now)
        .await
        .unwrap();
    let number = v.ticket.clone().expect("handed over");
    let t = stores
        .tickets
        .ticket_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.ticket.channel.code(), "chat");
    assert!(
        t.details.description.contains("客户: 怎么开电子发票"),
        "{}",
        t.details.description
    );
    assert!(t.details.description.contains("客户：没有解决"));
    assert_eq!(
        knowledge::bot_ask(
            stores,
            index,
            &customer,
            id,
            v.rev,
            "还在吗",
            Locale::ZhCn,
            now
        )
        .await,
        Err(app::desk::DeskError::Bot(
            loopdesk::kb::bot::BotError::Closed
        ))
    );
    // Another user cannot see it.
    let agent = user(&app, "agent").await;
    assert_eq!(
        knowledge::bot_get(stores, &agent, id, Locale::ZhCn).await,
        Err(app::desk::DeskError::NotFound)
    );
}
