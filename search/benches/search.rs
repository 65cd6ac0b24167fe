//! `cargo bench -p search --bench search`: knowledge search latency (p50/p99 over Chinese
//! queries of 1, 2 and 4+ characters and mixed Chinese/English) and indexing throughput, on
//! 10 000 and 100 000 generated telecom articles. Prints figures; asserts nothing about
//! speed. `SEARCH_BENCH_SIZES=1000,10000` picks other sizes.

use std::time::{Duration, Instant};

use loopdesk::kb::search::{DocKind, SearchDoc, SearchIndex, SearchQuery, SynonymGroup};
use loopdesk::kb::Audience;
use search::TantivyIndex;
use uuid::Uuid;

/// A small deterministic generator (xorshift), so every run indexes the same articles.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const TOPICS: &[&str] = &[
    "宽带",
    "光猫",
    "路由器",
    "流量",
    "套餐",
    "话费",
    "账单",
    "发票",
    "缴费",
    "充值",
    "欠费",
    "停机",
    "复机",
    "携号转网",
    "国际漫游",
    "彩铃",
    "来电显示",
    "副卡",
    "亲情号",
    "积分",
    "实名认证",
    "服务密码",
    "补卡",
    "eSIM",
    "5G",
    "VoLTE",
    "信号",
    "网速",
    "装机",
    "移机",
    "销户",
    "退费",
    "增值业务",
    "合约机",
];
const ACTIONS: &[&str] = &[
    "如何办理",
    "怎么查询",
    "为什么",
    "如何取消",
    "收费标准",
    "办理条件",
    "常见问题",
    "故障处理",
    "资费说明",
    "注意事项",
    "处理时限",
    "申请流程",
];
const SENTENCES: &[&str] = &[
    "请登录网上营业厅或手机营业厅办理，办理后即时生效。",
    "如有疑问可拨打客服热线 10010 咨询，人工服务时间为 8:00 至 22:00。",
    "本业务按月收费，次月 1 日起生效，当月费用不予退还。",
    "合约期内的业务不能变更，合约到期后可在营业厅办理。",
    "发送短信到 10010 即可查询，系统将在 5 分钟内回复。",
    "请先重启设备并检查线路连接，仍有问题请登记报障，装维人员 24 小时内上门。",
    "Customers can also use the online service hall; changes apply immediately.",
    "费用将在下一账期退回话费账户，或按原支付渠道原路退回。",
    "需本人携带有效身份证件到营业厅办理，代办需提供双方证件。",
    "VIP 客户享有优先处理，客户经理将在 4 小时内联系。",
];

fn article(rng: &mut Rng, n: u64) -> SearchDoc {
    let topic = rng.pick(TOPICS);
    let action = rng.pick(ACTIONS);
    let body: Vec<&str> = (0..4 + rng.next() % 4)
        .map(|_| rng.pick(SENTENCES))
        .collect();
    SearchDoc {
        id: Uuid::from_u128(u128::from(n) + 1),
        kind: DocKind::Article,
        title: format!("{topic}{action}（{n}）"),
        title_en: String::new(),
        body: format!("{topic}：{}", body.join("")),
        body_en: String::new(),
        questions: vec![
            format!("{topic}{}", rng.pick(ACTIONS)),
            format!("我的{topic}有问题"),
        ],
        tags: vec![topic.to_owned()],
        category: format!("topic/{}", n % 20),
        audience: if n.is_multiple_of(5) {
            Audience::Internal
        } else {
            Audience::Public
        },
    }
}

const QUERIES: &[&str] = &[
    "费",
    "网",
    "卡",
    "宽带",
    "话费",
    "流量",
    "停机",
    "发票",
    "携号转网办理条件",
    "宽带上不了网怎么办",
    "国际漫游收费标准",
    "我的话费为什么这么多",
    "5G套餐怎么取消",
    "eSIM 怎么办理",
    "VoLTE 高清通话",
    "online service hall",
    "服务密码忘记了",
    "积分可以兑换话费吗",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn run(size: u64) {
    let index = TantivyIndex::new().expect("index");
    index.set_synonyms(
        &SynonymGroup::defaults()
            .iter()
            .map(|g| SynonymGroup::parse(Uuid::new_v4(), &g.join("/")).expect("group"))
            .collect::<Vec<_>>(),
    );
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let started = Instant::now();
    let batch = 5_000;
    let mut n = 0;
    while n < size {
        let docs: Vec<SearchDoc> = (n..(n + batch).min(size))
            .map(|i| article(&mut rng, i))
            .collect();
        n += docs.len() as u64;
        index.upsert(docs).expect("upsert");
    }
    let indexing = started.elapsed();
    // One publish on a full index: the cost an editor sees.
    let one = Instant::now();
    index
        .upsert(vec![article(&mut rng, size + 1)])
        .expect("upsert");
    let publish = one.elapsed();
    let mut times = Vec::new();
    let mut hits = 0usize;
    for round in 0..60 {
        for (i, q) in QUERIES.iter().enumerate() {
            let mut query = SearchQuery::new(*q);
            if (round + i) % 2 == 0 {
                query.audience = Some(Audience::Public);
            }
            let t = Instant::now();
            hits += index.search(&query).expect("search").len();
            times.push(t.elapsed());
        }
    }
    times.sort();
    println!(
        "{size:>7} articles: indexed in {:.1} s ({:.0} articles/s); one publish {:.1} ms; \
         {} searches: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} hits)",
        indexing.as_secs_f64(),
        size as f64 / indexing.as_secs_f64(),
        publish.as_secs_f64() * 1e3,
        times.len(),
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        hits
    );
}

fn main() {
    let sizes: Vec<u64> = std::env::var("SEARCH_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("knowledge search (tantivy + jieba, in memory, 1 writer thread)");
    for size in sizes {
        run(size);
    }
}
