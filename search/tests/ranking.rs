//! Segmentation, n-gram fallback, ranking, synonyms, filters and highlighting of the
//! knowledge index, on a small telecom corpus.

use loopdesk::kb::search::{DocKind, SearchDoc, SearchIndex, SearchQuery, SynonymGroup};
use loopdesk::kb::Audience;
use search::TantivyIndex;
use uuid::Uuid;

fn doc(n: u128, title: &str, body: &str, questions: &[&str], category: &str) -> SearchDoc {
    SearchDoc {
        id: Uuid::from_u128(n),
        kind: DocKind::Article,
        title: title.into(),
        title_en: String::new(),
        body: body.into(),
        body_en: String::new(),
        questions: questions.iter().map(|q| (*q).into()).collect(),
        tags: Vec::new(),
        category: category.into(),
        audience: Audience::Public,
    }
}

fn corpus() -> TantivyIndex {
    let index = TantivyIndex::new().unwrap();
    let mut internal = doc(
        5,
        "退费审批流程（内部）",
        "超过 200 元的退费需要班长审批，在工单中选择退费原因。",
        &[],
        "billing/refund",
    );
    internal.audience = Audience::Internal;
    let mut flow = doc(
        6,
        "宽带故障自助排查",
        "按步骤检查光猫指示灯、路由器和网线。",
        &["宽带上不了网"],
        "broadband/fault",
    );
    flow.kind = DocKind::Flow;
    index
        .upsert(vec![
            doc(
                1,
                "如何查询本月话费",
                "登录网上营业厅或发送短信 CXHF 到 10010 查询本月话费和余额。",
                &["话费怎么查", "查一下我的余额"],
                "billing/charges",
            ),
            doc(
                2,
                "宽带断网怎么办",
                "先重启光猫和路由器，检查光猫 LOS 灯是否红色闪烁；仍不能上网请报障。",
                &["宽带上不了网", "家里网络断了"],
                "broadband/fault",
            ),
            doc(
                3,
                "流量套餐介绍",
                "国内通用流量包每月 30GB，超出后按 5 元/GB 计费。",
                &["流量不够用怎么办"],
                "plans/data",
            ),
            doc(
                4,
                "How to check your bill",
                "Sign in to the online service hall and open Bills to see monthly charges.",
                &["Where can I see my charges"],
                "billing/charges",
            ),
            internal,
            flow,
            doc(
                7,
                "携号转网办理条件",
                "在网满 120 天、无欠费、非合约期内可以办理携号转网。",
                &["怎么转到其他运营商"],
                "plans/porting",
            ),
        ])
        .unwrap();
    index
}

fn ids(index: &TantivyIndex, q: SearchQuery) -> Vec<u128> {
    index
        .search(&q)
        .unwrap()
        .iter()
        .map(|h| h.id.as_u128())
        .collect()
}

fn top(index: &TantivyIndex, text: &str) -> Option<u128> {
    ids(index, SearchQuery::new(text)).first().copied()
}

#[test]
fn chinese_queries_of_one_two_and_many_characters_find_the_right_article() {
    let index = corpus();
    // One character: only the character n-grams can find it.
    assert!(ids(&index, SearchQuery::new("漫")).is_empty());
    assert_eq!(top(&index, "携"), Some(7));
    // Two characters.
    assert_eq!(top(&index, "话费"), Some(1));
    assert_eq!(top(&index, "断网"), Some(2));
    // A phrase jieba segments differently from the document (转网 inside 携号转网).
    assert_eq!(top(&index, "转网"), Some(7));
    // Four and more characters, as customers type them.
    assert_eq!(top(&index, "宽带上不了网了怎么办"), Some(2));
    assert_eq!(top(&index, "本月话费查询"), Some(1));
    assert_eq!(top(&index, "光猫红灯闪烁"), Some(2));
}

#[test]
fn english_is_stemmed_and_mixed_queries_work() {
    let index = corpus();
    assert_eq!(top(&index, "checking bills"), Some(4));
    assert_eq!(top(&index, "charge"), Some(4));
    assert_eq!(top(&index, "LOS灯红色"), Some(2));
    assert_eq!(top(&index, "30GB 流量包"), Some(3));
}

#[test]
fn titles_and_similar_questions_outrank_bodies() {
    let index = corpus();
    // 余额 is in article 1's similar question and body; 上网 is in article 2's body only,
    // 网络 in its similar question: the question match wins over the flow's body.
    assert_eq!(top(&index, "余额"), Some(1));
    let hits = index.search(&SearchQuery::new("网络断了")).unwrap();
    assert_eq!(hits[0].id.as_u128(), 2);
}

#[test]
fn synonyms_expand_queries_and_can_be_replaced() {
    let index = corpus();
    // 数据 appears nowhere; with 流量/数据 it finds the data plan.
    assert_eq!(top(&index, "数据包"), None);
    let groups: Vec<SynonymGroup> = SynonymGroup::defaults()
        .into_iter()
        .map(|g| SynonymGroup::parse(Uuid::new_v4(), &g.join("/")).unwrap())
        .collect();
    index.set_synonyms(&groups);
    assert_eq!(top(&index, "数据包"), Some(3));
    assert_eq!(top(&index, "资费介绍"), Some(3));
    index.set_synonyms(&[]);
    assert_eq!(top(&index, "数据包"), None);
}

#[test]
fn filters_by_audience_kind_and_category() {
    let index = corpus();
    let mut q = SearchQuery::new("退费审批");
    assert_eq!(ids(&index, q.clone()), vec![5]);
    q.audience = Some(Audience::Public);
    assert!(ids(&index, q).is_empty(), "internal articles stay internal");
    let mut q = SearchQuery::new("宽带上不了网");
    q.kind = Some(DocKind::Flow);
    assert_eq!(ids(&index, q.clone()), vec![6]);
    q.kind = Some(DocKind::Article);
    assert_eq!(ids(&index, q), vec![2]);
    let mut q = SearchQuery::new("查询");
    q.category = Some("billing".into());
    assert!(ids(&index, q.clone())
        .iter()
        .all(|id| [1, 4, 5].contains(id)));
    q.category = Some("broadband/fault".into());
    assert!(ids(&index, q).iter().all(|id| [2, 6].contains(id)));
}

#[test]
fn hits_are_highlighted_in_title_and_body() {
    let index = corpus();
    let hit = &index.search(&SearchQuery::new("光猫")).unwrap()[0];
    let marked: Vec<String> = hit
        .snippet
        .runs()
        .into_iter()
        .filter(|(_, hit)| *hit)
        .map(|(t, _)| t)
        .collect();
    assert!(
        marked.iter().all(|m| m == "光猫") && !marked.is_empty(),
        "{marked:?}"
    );
    let hit = &index.search(&SearchQuery::new("携")).unwrap()[0];
    assert_eq!(hit.title.runs()[0], ("携".to_owned(), true));
}

#[test]
fn updates_and_removals_are_visible_to_the_next_search() {
    let index = corpus();
    assert_eq!(index.len(), 7);
    index
        .upsert(vec![doc(
            1,
            "如何查询本月账单",
            "在网上营业厅查看电子账单。",
            &[],
            "billing/charges",
        )])
        .unwrap();
    assert_eq!(index.len(), 7, "an upsert replaces");
    assert_eq!(top(&index, "电子账单"), Some(1));
    index.remove(Uuid::from_u128(1)).unwrap();
    assert_eq!(top(&index, "电子账单"), None);
    assert!(index
        .search(&SearchQuery::new("  ？！ "))
        .unwrap()
        .is_empty());
}

#[test]
fn english_bodies_are_searched_and_get_their_own_snippet() {
    let index = TantivyIndex::new().unwrap();
    let mut d = doc(
        9,
        "光猫指示灯含义",
        "LOS 红灯闪烁表示光信号中断。",
        &[],
        "broadband/fault",
    );
    d.title_en = "Modem lights explained".into();
    d.body_en = "A flashing red LOS light means the fibre signal is lost.".into();
    index.upsert(vec![d]).unwrap();
    let hit = &index.search(&SearchQuery::new("fibre signal")).unwrap()[0];
    assert!(hit.snippet.marks.is_empty(), "{:?}", hit.snippet);
    let marked: Vec<String> = hit
        .snippet_en
        .runs()
        .into_iter()
        .filter(|(_, h)| *h)
        .map(|(t, _)| t)
        .collect();
    assert_eq!(marked, vec!["fibre", "signal"]);
    let hit = &index.search(&SearchQuery::new("光信号")).unwrap()[0];
    assert!(!hit.snippet.marks.is_empty());
}
