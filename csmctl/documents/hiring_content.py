"""Built-in hiring wording in English and Japanese: labels, the scaffold for `jd new`, the
interview kit's questions and the scorecard's scale.

Every text is a ``{"en": ..., "ja": ...}`` pair kept side by side so the two languages cannot
drift apart; ``pick(value, lang)`` resolves a whole structure to one language. The facts come
from the domain digest (what CSMs do, how to hire one); the wording is csmctl's own.
"""

from __future__ import annotations

from typing import Any, TypedDict

LANGS = ("en", "ja")


def pick(value: Any, lang: str) -> Any:
    """Resolve every ``{"en", "ja"}`` pair inside ``value`` to ``lang``."""
    if isinstance(value, dict):
        if set(value) == set(LANGS):
            return value[lang]
        return {key: pick(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [pick(item, lang) for item in value]
    return value


Pair = dict[str, str]  # {"en": ..., "ja": ...}


class Trait(TypedDict):
    name: Pair
    look_for: Pair


class Competency(TypedDict):
    name: Pair
    keywords: list[str]  # found in a spec's outcome: the kit asks about that outcome instead


class Stage(TypedDict):
    id: str
    optional: bool
    name: Pair
    who: Pair
    minutes: int
    purpose: Pair


class LevelScaffold(TypedDict):
    years: int
    salary: dict[str, tuple[int, int]]  # per currency: (low, high)


class SegmentScaffold(TypedDict):
    accounts: int
    arr: dict[str, int]  # per currency
    style: Pair


class TitleParts(TypedDict):
    level: dict[str, Pair]
    manager_title: Pair
    segment: Pair


def T(en: str, ja: str) -> Pair:
    return {"en": en, "ja": ja}


# -- labels used by every hiring template --------------------------------------------------------

LABELS = {
    "mission": T("Why this role exists", "このポジションの使命"),
    "about": T("About the role", "仕事内容"),
    "responsibilities": T("What you will do", "主な業務"),
    "qualifications": T("What we are looking for", "応募資格"),
    "skills": T("Skills", "スキル"),
    "experience": T("Experience", "経験"),
    "outcomes": T("What success looks like", "期待する成果"),
    "first_90_days": T("In your first 90 days", "入社後90日間"),
    "first_year": T("In your first year", "入社後1年間"),
    "traits": T("How you work", "求める人物像"),
    "compensation": T("Compensation", "給与・報酬"),
    "base_salary": T("Base salary", "基本給"),
    "ote": T("On-target earnings (base + variable at target)", "目標達成時の年収(基本給+変動報酬)"),
    "bonus": T("Variable pay", "変動報酬"),
    "details": T("Details", "募集要項"),
    "benefits": T("Benefits and other compensation", "福利厚生・その他の報酬"),
    "conditions": T("Terms of employment", "労働条件"),
    "duties_change": T("Scope of changes to duties", "業務の変更の範囲"),
    "location_change": T("Scope of changes to the work location", "就業場所の変更の範囲"),
    "contract_renewal": T("Contract renewal", "契約更新の基準"),
    "company": T("Company", "会社"),
    "level": T("Level", "職位"),
    "segment": T("Segment", "担当セグメント"),
    "book": T("Book of business", "担当ポートフォリオ"),
    "book_accounts": T("{n} accounts", "{n}社"),
    "book_arr": T("{amount} ARR", "ARR {amount}"),
    "employment_type": T("Employment type", "雇用形態"),
    "location": T("Location", "勤務地"),
    "remote": T("Remote work", "リモートワーク"),
    "remote_from": T("Candidates may live in", "居住地の条件"),
    "time_zones": T("Working hours", "勤務時間帯"),
    "posted": T("Posted", "掲載日"),
    "valid_through": T("Apply by", "応募締切"),
    "how_to_apply": T("How to apply", "応募方法"),
    "apply_url": T("Apply online", "オンライン応募"),
    "apply_email": T("Email", "メール"),
    "identifier": T("Reference", "求人番号"),
    "per": {
        "year": T("per year", "年額"),
        "month": T("per month", "月額"),
        "week": T("per week", "週額"),
        "day": T("per day", "日額"),
        "hour": T("per hour", "時給"),
    },
    "range": T("{low} to {high}", "{low}〜{high}"),
    "from": T("from {low}", "{low}以上"),
    "up_to": T("up to {high}", "{high}まで"),
    "levels": {
        "associate": T("Associate", "アソシエイト"),
        "csm": T("Customer Success Manager", "カスタマーサクセスマネージャー"),
        "senior": T("Senior", "シニア"),
        "lead": T("Lead", "リード"),
        "manager": T("Manager", "マネージャー"),
    },
    "segments": {
        "smb": T("SMB", "SMB(中小企業)"),
        "mid-market": T("Mid-market", "ミッドマーケット"),
        "enterprise": T("Enterprise", "エンタープライズ"),
        "strategic": T("Strategic accounts", "戦略顧客"),
    },
    "remote_policies": {
        "full": T("Fully remote", "フルリモート"),
        "hybrid": T("Hybrid", "ハイブリッド(出社とリモートの併用)"),
        "none": T("On site", "出社勤務"),
    },
    "employment_types": {
        "FULL_TIME": T("Full-time", "正社員(フルタイム)"),
        "PART_TIME": T("Part-time", "パートタイム"),
        "CONTRACTOR": T("Contractor", "業務委託・契約"),
        "TEMPORARY": T("Temporary", "期間限定"),
        "INTERN": T("Internship", "インターン"),
        "VOLUNTEER": T("Volunteer", "ボランティア"),
        "PER_DIEM": T("Per diem", "日雇い"),
        "OTHER": T("Other", "その他"),
    },
    # interview kit
    "kit_title": T("Interview kit", "面接キット"),
    "kit_intro": T(
        "Use the same questions for every candidate, write down what you heard before you discuss it, "
        "and rate against the scorecard, not against other candidates.",
        "すべての候補者に同じ質問を使い、議論する前に聞いた内容を書き留め、他の候補者とではなく"
        "スコアカードに照らして評価してください。",
    ),
    "question": T("Question", "質問"),
    "strong": T("Strong answer", "良い回答"),
    "weak": T("Weak answer", "懸念のある回答"),
    "tests": T("Tests", "評価項目"),
    "who": T("Who", "担当"),
    "duration": T("Time", "所要時間"),
    "minutes": T("{n} min", "{n}分"),
    "list_sep": T(", ", "、"),
    "optional": T("optional", "任意"),
    # scorecard
    "scorecard_title": T("Scorecard", "スコアカード"),
    "scorecard_intro": T(
        "Rate each line from 1 to 4 on the evidence you saw, and note that evidence. "
        "Leave a line blank if your interview did not cover it.",
        "各項目を面接で得た根拠に基づき1〜4で評価し、その根拠を記入してください。"
        "担当した面接で扱わなかった項目は空欄のままにしてください。",
    ),
    "candidate": T("Candidate", "候補者"),
    "interviewer": T("Interviewer", "面接官"),
    "date": T("Date", "日付"),
    "criterion": T("Criterion", "評価項目"),
    "section": T("Section", "区分"),
    "rating": T("Rating (1-4)", "評価(1〜4)"),
    "evidence": T("Evidence", "根拠"),
    "scale": T("Rating scale", "評価基準"),
    "look_for": T("Look for", "確認ポイント"),
    "outcome_90": T("Outcome, first 90 days", "成果(入社後90日)"),
    "outcome_year": T("Outcome, first year", "成果(入社後1年)"),
    "trait": T("Trait", "資質"),
    "skill": T("Skill", "スキル"),
    "recommendation": T("Overall recommendation", "総合評価"),
    "recommendations": T("Strong no / No / Yes / Strong yes", "強く不採用 / 不採用 / 採用 / 強く採用"),
}

SCALE = [
    {
        "score": 1,
        "name": T("Concern", "懸念あり"),
        "anchor": T("No evidence, or evidence against", "根拠がない、または否定的な根拠がある"),
    },
    {
        "score": 2,
        "name": T("Mixed", "一部あり"),
        "anchor": T("Some evidence, with important gaps", "根拠はあるが、重要な不足がある"),
    },
    {
        "score": 3,
        "name": T("Meets", "期待どおり"),
        "anchor": T("Clear, specific evidence at this level", "このレベルに見合う具体的な根拠がある"),
    },
    {
        "score": 4,
        "name": T("Strong", "期待以上"),
        "anchor": T(
            "Repeated, specific evidence beyond this level",
            "このレベルを超える具体的な根拠が繰り返し示された",
        ),
    },
]

# -- traits (the digest's four, plus the leadership ones) ------------------------------------------

TRAITS: dict[str, Trait] = {
    "empathy": {
        "name": T("Empathy and emotional intelligence", "共感力と感情知性"),
        "look_for": T(
            "Finds the business pressure behind a complaint; listens before answering.",
            "不満の裏にある顧客の事情をつかみ、答える前に耳を傾けている。",
        ),
    },
    "transparency": {
        "name": T("Transparency", "誠実さと透明性"),
        "look_for": T(
            "Gives unwelcome news early and plainly, with options; does not overpromise.",
            "悪い知らせも早く率直に、選択肢とともに伝えている。できない約束をしない。",
        ),
    },
    "proactivity": {
        "name": T("Proactivity", "主体性(プロアクティブさ)"),
        "look_for": T(
            "Acts on early signals before the customer asks; prevents rather than repairs.",
            "顧客に言われる前に兆候をつかんで動き、問題を未然に防いでいる。",
        ),
    },
    "communication": {
        "name": T("Communication", "コミュニケーション力"),
        "look_for": T(
            "Adapts message and depth to the listener, from executives to daily users; writes clearly.",
            "経営層から現場の利用者まで相手に合わせて話し方と深さを変え、明快に書ける。",
        ),
    },
    "leadership": {
        "name": T("Leadership", "リーダーシップ"),
        "look_for": T(
            "Coaches others, sets standards, improves how the team works.",
            "メンバーを育て、基準を示し、チームの仕事の進め方を改善している。",
        ),
    },
    "organisation": {
        "name": T("Organisation and self-discipline", "自己管理力"),
        "look_for": T(
            "Runs a portfolio with a system: priorities, cadence, follow-ups kept.",
            "優先順位・接点の頻度・フォローアップを仕組みで管理している。",
        ),
    },
}

# competencies the role questions test; keywords find the matching outcome in a spec
COMPETENCIES: dict[str, Competency] = {
    "onboarding": {
        "name": T("Onboarding", "オンボーディング"),
        "keywords": ["onboard", "kickoff", "go-live", "adoption", "オンボーディング", "導入", "定着"],
    },
    "retention": {
        "name": T("Retention and renewals", "継続・更新"),
        "keywords": ["renew", "churn", "retention", "grr", "更新", "解約", "継続"],
    },
    "expansion": {
        "name": T("Expansion", "アップセル・クロスセル"),
        "keywords": ["upsell", "expan", "cross-sell", "nrr", "アップセル", "クロスセル", "拡大"],
    },
    "metrics": {
        "name": T("Customer health and metrics", "顧客の健全性と指標"),
        "keywords": ["health", "csat", "nps", "metric", "ヘルス", "満足度", "指標"],
    },
    "voice": {
        "name": T("Voice of the customer", "顧客の声の還元"),
        "keywords": ["feedback", "product", "roadmap", "フィードバック", "プロダクト", "開発"],
    },
    "portfolio": {
        "name": T("Portfolio management", "ポートフォリオ管理"),
        "keywords": [
            "portfolio",
            "book",
            "account plan",
            "success plan",
            "ポートフォリオ",
            "担当",
            "サクセスプラン",
        ],
    },
    "fit": {"name": T("Role fit and motivation", "職務適性と志望動機"), "keywords": []},
    "collaboration": {
        "name": T("Working with sales and other teams", "営業・他部門との連携"),
        "keywords": ["sales", "handoff", "営業", "連携"],
    },
}


def Q(
    text: Pair, strong: Pair, weak: Pair, tests: str
) -> dict[str, Any]:  # a one-letter name: the question table reads like data
    return {"text": text, "strong": strong, "weak": weak, "tests": tests}


TRAIT_QUESTIONS = {
    "empathy": Q(
        T(
            "Tell me about a customer who was frustrated with you or the product. What was really behind it, "
            "and how did you find out?",
            "あなたや製品に不満を持っていた顧客について教えてください。本当の原因は何で、どうやってそれを知りましたか。",
        ),
        T(
            "Names the customer's underlying pressure (a deadline, a boss, a budget), shows how they listened and "
            "checked understanding, and changed their approach because of it.",
            "顧客の背景(期限、上司、予算など)を具体的に挙げ、どう傾聴し理解を確かめたか、それを受けて"
            "対応をどう変えたかを説明できる。",
        ),
        T(
            "Blames the customer, jumps straight to a product fix, or talks only about what they did.",
            "顧客のせいにする、すぐに製品の修正の話に飛ぶ、自分の行動しか語らない。",
        ),
        "trait:empathy",
    ),
    "transparency": Q(
        T(
            "Describe a time you had to tell a customer something they did not want to hear: a missing feature, "
            "a delay, a price change. How and when did you tell them?",
            "顧客にとって聞きたくない事実(機能がない、遅延、価格改定など)を伝えなければならなかった経験を"
            "教えてください。いつ、どのように伝えましたか。",
        ),
        T(
            "Told them early and plainly, brought options and a next step, followed up, and kept the relationship.",
            "早い段階で率直に伝え、選択肢と次の一手を示し、その後もフォローして関係を保った。",
        ),
        T(
            "Waited until it could not be hidden, let someone else deliver it, or promised what they could not keep.",
            "隠しきれなくなるまで待った、他人に伝えさせた、守れない約束をした。",
        ),
        "trait:transparency",
    ),
    "proactivity": Q(
        T(
            "Walk me through a churn risk you spotted before the customer raised it. What signal did you see, "
            "and what did you do?",
            "顧客から言われる前に解約リスクに気づいた事例を教えてください。どんな兆候を見て、何をしましたか。",
        ),
        T(
            "A specific early signal (usage drop, champion left, support spike), action well before the renewal, "
            "and a result they can name.",
            "具体的な兆候(利用率の低下、推進者の退職、問い合わせの急増など)を挙げ、更新より十分前に動き、"
            "結果を具体的に語れる。",
        ),
        T(
            "Reacted to a complaint or a cancellation notice; cannot name a signal they watch.",
            "苦情や解約通知を受けてから動いた。日頃どの兆候を見ているか説明できない。",
        ),
        "trait:proactivity",
    ),
    "communication": Q(
        T(
            "Explain what our product does, first as you would to a CFO, then to a person who uses it every day.",
            "当社の製品が何をするものか、まずCFOに向けて、次に毎日使う現場の担当者に向けて説明してください。",
        ),
        T(
            "Leads with business outcomes for the executive and with daily tasks for the user; short, concrete, no jargon.",
            "経営層には事業上の成果から、現場には日々の業務から話し始め、短く具体的で専門用語に頼らない。",
        ),
        T(
            "Gives the same feature list to both, or cannot adjust the level of detail.",
            "両者に同じ機能説明をする、または詳しさを調整できない。",
        ),
        "trait:communication",
    ),
    "leadership": Q(
        T(
            "Tell me about a CSM you coached who was struggling with their book. What did you change, and what happened?",
            "担当顧客の対応に苦戦していたCSMを指導した経験を教えてください。何を変え、どうなりましたか。",
        ),
        T(
            "Diagnosed the cause, agreed on specific changes, followed up, and can show the result for the person and "
            "their customers.",
            "原因を見極め、具体的な改善策に合意し、継続してフォローし、本人と顧客の両方の成果を示せる。",
        ),
        T(
            "Took the accounts over themselves, or describes only a general pep talk.",
            "自分で顧客対応を引き取ってしまった、または一般的な励ましの話しかない。",
        ),
        "trait:leadership",
    ),
}

# the screening stage's logistics question, by the spec's remote policy (full / hybrid / none)
LOGISTICS_QUESTIONS = {
    "full": Q(
        T(
            "This role is fully remote. How do you organise your week, and how do you keep customers and "
            "colleagues in other time zones informed?",
            "このポジションはフルリモート勤務です。1週間をどう組み立て、異なる時間帯の顧客や同僚にどう情報を共有していますか。",
        ),
        T(
            "A concrete routine, written and asynchronous updates by default, clear agreements on email, phone "
            "and video; past remote experience.",
            "具体的な習慣があり、文章による非同期の共有を基本とし、メール・電話・ビデオの使い分けを明確にしている。"
            "リモート勤務の経験がある。",
        ),
        T(
            "No routine; relies on being available for calls at any hour.",
            "決まった進め方がなく、いつでも電話に出られることに頼っている。",
        ),
        "trait:organisation",
    ),
    "hybrid": Q(
        T(
            "This role is hybrid: some days in the office, some at home. Which work do you keep for office days, "
            "which for home days, and how do you keep customers informed in between?",
            "このポジションは出社とリモートを併用するハイブリッド勤務です。出社日と在宅日でそれぞれどんな仕事をし、"
            "その間も顧客への情報共有をどう保ちますか。",
        ),
        T(
            "Plans office days around meetings, workshops and colleagues; keeps focused work and written updates "
            "for home days; customers notice no difference.",
            "会議・ワークショップ・同僚との連携を出社日に集め、集中作業と文章での共有を在宅日に行い、顧客から見て違いがない。",
        ),
        T(
            "Treats office days as the only time real work with others happens, or has no plan for either.",
            "他者との本当の協働は出社日だけと考えている、またはどちらの日にも計画がない。",
        ),
        "trait:organisation",
    ),
    "none": Q(
        T(
            "This role works from our office. How would you plan your week so that customers you cannot meet "
            "in person still hear from you regularly?",
            "このポジションは出社勤務です。直接会えない顧客にも定期的に連絡が届くよう、1週間をどう計画しますか。",
        ),
        T(
            "A steady rhythm of calls, written updates and visits, planned ahead; uses time with colleagues in "
            "the office to solve customer problems faster.",
            "電話・文章での報告・訪問のリズムを前もって計画し、社内で同僚と近くにいる利点を顧客の課題解決に活かす。",
        ),
        T(
            "Only serves the customers who call loudest, or expects customers to come to them.",
            "声の大きい顧客にだけ対応する、または顧客からの連絡を待つだけ。",
        ),
        "fit",
    ),
}

ROLE_QUESTIONS = [
    Q(
        T(
            "What does our product or service do, and who is it for?",
            "当社の製品・サービスは何をするもので、誰のためのものですか。",
        ),
        T(
            "Has researched us; describes the customers and the problem we solve in plain words.",
            "事前に調べており、顧客と解決する課題を平易な言葉で説明できる。",
        ),
        T(
            "Repeats the homepage slogan, or has not looked.",
            "Webサイトの標語を繰り返すだけ、または調べていない。",
        ),
        "fit",
    ),
    Q(
        T(
            "What solution does it give customers? What changes for them when it works?",
            "顧客にとってどんな解決策になりますか。うまく使えたとき、顧客の何が変わりますか。",
        ),
        T(
            "Ties the product to outcomes the customer measures (time saved, revenue, risk), not features.",
            "機能ではなく、顧客が測る成果(時間削減、売上、リスク低減など)と結びつけて語る。",
        ),
        T("Lists features.", "機能を並べるだけ。"),
        "onboarding",
    ),
    Q(
        T(
            "How do you decide there is an upsell or cross-sell opportunity, and when to raise it?",
            "アップセルやクロスセルの機会があると、どう判断しますか。いつ提案しますか。",
        ),
        T(
            "Looks for value already achieved and limits being reached; confirms satisfaction first; tells upsell "
            "(more of the same) from cross-sell (another product); times it with the customer's plans and the renewal.",
            "顧客がすでに価値を得ていて上限に近づいている兆候を見て、まず満足度を確かめる。アップセル(同じ製品の拡大)と"
            "クロスセル(別製品)を区別し、顧客の計画や更新時期に合わせて提案する。",
        ),
        T(
            "Pushes whenever a quota needs it, without checking the customer is getting value.",
            "顧客が価値を得ているか確かめず、ノルマの都合で提案する。",
        ),
        "expansion",
    ),
    Q(
        T(
            "How do your skills and experience transfer to this role?",
            "これまでのスキルと経験を、このポジションでどう活かせますか。",
        ),
        T(
            "Maps specific past results (from CS, sales, consulting, support or management) to this role's outcomes.",
            "CS・営業・コンサルティング・サポート・マネジメントなどでの具体的な成果を、このポジションの期待成果に結びつけて説明できる。",
        ),
        T("Generic strengths with no example.", "具体例のない一般的な長所の説明にとどまる。"),
        "fit",
    ),
    Q(
        T(
            "Which metrics do you use to measure customer satisfaction and health, and what do you do when one moves?",
            "顧客満足度や顧客の健全性を測るのにどの指標を使いますか。数値が動いたら何をしますか。",
        ),
        T(
            "Names several (CSAT, NPS, renewal and churn rates, usage, health score), knows what each misses, "
            "and ties a change to an action.",
            "CSAT・NPS・更新率・解約率・利用状況・ヘルススコアなど複数を挙げ、それぞれの限界を理解し、変化を行動に結びつける。",
        ),
        T("One number, read but not acted on.", "一つの数値だけを見て、行動につなげていない。"),
        "metrics",
    ),
    Q(
        T(
            "What is your experience working with sales? Tell me about a handoff or a joint account plan.",
            "営業と協働した経験を教えてください。引き継ぎや共同のアカウントプランの例をお願いします。",
        ),
        T(
            "Clear handoffs, shared plans, respects the split (sales closes, CS drives value and retention), "
            "an example of working an expansion together.",
            "明確な引き継ぎと共有された計画があり、役割分担(営業は受注、CSは価値実現と継続)を尊重し、"
            "共同で拡大につなげた例がある。",
        ),
        T("Describes friction or 'not my job'.", "対立の話や「自分の仕事ではない」という姿勢が目立つ。"),
        "collaboration",
    ),
    Q(
        T(
            "How do you manage several customers and projects at once? What do you drop when everything is urgent?",
            "複数の顧客やプロジェクトを同時にどう管理していますか。すべてが急ぎのとき、何を後回しにしますか。",
        ),
        T(
            "A system: prioritises by risk, renewal date and value, keeps a cadence, and can name a trade-off they made.",
            "リスク・更新時期・価値で優先順位をつける仕組みがあり、接点の頻度を保ち、実際に下した判断を説明できる。",
        ),
        T("'I just work harder'; no way of choosing.", "「とにかく頑張る」だけで、判断の基準がない。"),
        "portfolio",
    ),
    Q(
        T(
            "Tell me about feedback from customers that you carried to product or engineering. What happened to it?",
            "顧客の声をプロダクトや開発チームに届けた経験を教えてください。その結果どうなりましたか。",
        ),
        T(
            "Collected it across customers, framed the business impact, followed it through, and closed the loop "
            "with the customers.",
            "複数の顧客から集め、事業への影響を示して伝え、最後まで追いかけ、顧客にも結果を返した。",
        ),
        T(
            "Forwarded a single request, or never heard back and did not ask.",
            "単発の要望を転送しただけ、または返事がなくてもそのままにした。",
        ),
        "voice",
    ),
]

SCREENING_QUESTIONS = [
    Q(
        T(
            "What are you strongest at in customer work, and what are you working to improve?",
            "顧客対応で最も得意なことと、いま改善に取り組んでいることは何ですか。",
        ),
        T(
            "Specific strengths with evidence, and an honest weakness with what they are doing about it.",
            "根拠のある具体的な強みと、率直な弱みおよびその改善策を語れる。",
        ),
        T(
            "A strength stated as a weakness, or no example.",
            "弱みを装った強みを挙げる、または具体例がない。",
        ),
        "fit",
    ),
    Q(
        T(
            "Walk me through your career so far, and where you want it to go next.",
            "これまでの経歴と、今後のキャリアの目標を教えてください。",
        ),
        T(
            "A clear thread, and goals this role actually serves.",
            "経歴に一貫した軸があり、目標とこのポジションが合っている。",
        ),
        T(
            "Goals this role cannot meet (for example, wanting to close new business only).",
            "このポジションでは実現できない目標(新規受注だけをしたい等)。",
        ),
        "fit",
    ),
]

STAGES: list[Stage] = [
    {
        "id": "screening",
        "optional": False,
        "name": T("Screening interview", "一次面接(スクリーニング)"),
        "who": T("Recruiter or hiring manager", "採用担当者または採用責任者"),
        "minutes": 30,
        "purpose": T(
            "Strengths, weaknesses, career history and goals; whether the role fits.",
            "強み・弱み・経歴・キャリア目標を確認し、ポジションとの適合を見る。",
        ),
    },
    {
        "id": "role",
        "optional": False,
        "name": T("Role interview", "職務面接"),
        "who": T("Hiring manager", "採用責任者"),
        "minutes": 60,
        "purpose": T(
            "How the candidate thinks about the work itself: value, expansion, metrics, a busy book.",
            "価値提供・拡大・指標・多数の顧客の管理など、業務そのものへの考え方を見る。",
        ),
    },
    {
        "id": "cross_functional",
        "optional": False,
        "name": T("Cross-functional interviews", "他部門との面接"),
        "who": T(
            "One or two colleagues from engineering, sales, support or marketing",
            "エンジニアリング・営業・サポート・マーケティングから1〜2名",
        ),
        "minutes": 45,
        "purpose": T(
            "Working with other teams, and the traits the role depends on.",
            "他部門との協働と、このポジションに欠かせない資質を確かめる。",
        ),
    },
    {
        "id": "panel",
        "optional": True,
        "name": T(
            "Panel, presentation or mock client session", "パネル面接・プレゼンテーション・模擬顧客セッション"
        ),
        "who": T("Hiring manager and two or three team members", "採用責任者とチームメンバー2〜3名"),
        "minutes": 60,
        "purpose": T(
            "See the work done, not described: pick one of the exercises below.",
            "話を聞くのではなく、実際の仕事ぶりを見る。以下から一つを選んで実施する。",
        ),
    },
    {
        "id": "writing",
        "optional": False,
        "name": T("Writing sample", "ライティング課題"),
        "who": T("Hiring manager", "採用責任者"),
        "minutes": 30,
        "purpose": T(
            "Clear, kind, written communication: much of the job happens in writing.",
            "仕事の多くは文章で行われるため、明快で配慮のある文章力を確かめる。",
        ),
    },
    {
        "id": "references",
        "optional": False,
        "name": T("Reference checks", "リファレンスチェック"),
        "who": T("Hiring manager", "採用責任者"),
        "minutes": 20,
        "purpose": T(
            "Confirm what the interviews suggested; most useful to choose between two finalists and to "
            "check your own bias.",
            "面接で得た印象を裏づける。最終候補が2名のときの判断や、自分たちの思い込みの確認に特に役立つ。",
        ),
    },
    {
        "id": "debrief",
        "optional": False,
        "name": T("Debrief", "評価会議"),
        "who": T("Everyone who interviewed", "面接官全員"),
        "minutes": 30,
        "purpose": T(
            "Share written scorecards first, then discuss; decide the top candidates and who to reference-check.",
            "まず記入済みのスコアカードを共有してから議論し、上位候補とリファレンス先を決める。",
        ),
    },
]

EXERCISES = [
    {
        "name": T("Mock client session", "模擬顧客セッション"),
        "brief": T(
            "An interviewer plays a customer whose usage has dropped two months before renewal. "
            "The candidate runs the call.",
            "更新の2か月前に利用が落ち込んでいる顧客を面接官が演じ、候補者が打ち合わせを進める。",
        ),
        "strong": T(
            "Asks before telling, finds the cause, agrees on next steps and a date, stays calm under pushback.",
            "説明より先に質問して原因を探り、次の行動と期日に合意し、反論にも落ち着いて対応する。",
        ),
        "weak": T(
            "Pitches features or discounts before understanding the problem.",
            "課題を理解する前に機能紹介や値引きの話を始める。",
        ),
        "tests": "retention",
    },
    {
        "name": T("Presentation", "プレゼンテーション"),
        "brief": T(
            "Fifteen minutes: a business review for one of our customer profiles, or their plan for the "
            "first 90 days in this role.",
            "15分間で、想定顧客向けのビジネスレビュー、またはこのポジションでの最初の90日間の計画を発表する。",
        ),
        "strong": T(
            "Starts from the customer's goals, uses data, ends with clear asks; handles questions directly.",
            "顧客の目標から始め、データを使い、明確な依頼で締めくくる。質問にも率直に答える。",
        ),
        "weak": T(
            "A product tour; no goals, numbers or next steps.",
            "製品紹介に終始し、目標・数値・次の行動がない。",
        ),
        "tests": "trait:communication",
    },
]

WRITING_TASKS = [
    {
        "task": T(
            "Write the follow-up email to the customer from the mock session (or to a customer whose feature "
            "request was declined): what was agreed, what happens next, by when.",
            "模擬セッションの顧客(または要望が採用されなかった顧客)へのフォローメールを書く。"
            "合意した内容、次に起こること、期日を含めること。",
        ),
        "strong": T(
            "Short, specific, honest about what will not happen, with owners and dates.",
            "簡潔で具体的、できないことも正直に書き、担当と期日が明記されている。",
        ),
        "weak": T(
            "Long, vague, or promises what was not agreed.",
            "長くあいまい、または合意していないことを約束している。",
        ),
        "tests": "trait:transparency",
    },
]

REFERENCE_QUESTIONS = [
    T(
        "How did they handle a customer who was unhappy? What did they do first?",
        "不満を持つ顧客に、どのように対応していましたか。最初に何をしましたか。",
    ),
    T(
        "How did they work with sales, support and product?",
        "営業・サポート・プロダクトとどのように連携していましたか。",
    ),
    T("Where did they need the most support from you?", "どのような点で最も支援が必要でしたか。"),
    T(
        "Would you hire them again for a customer-facing role? Why?",
        "顧客対応の職務でもう一度採用したいと思いますか。その理由は。",
    ),
]

# -- the scaffold for `jd new` --------------------------------------------------------------------

LEVEL_SCAFFOLD: dict[str, LevelScaffold] = {
    "associate": {"years": 1, "salary": {"USD": (55_000, 70_000), "JPY": (4_500_000, 6_000_000)}},
    "csm": {"years": 2, "salary": {"USD": (75_000, 95_000), "JPY": (6_000_000, 8_000_000)}},
    "senior": {"years": 5, "salary": {"USD": (95_000, 125_000), "JPY": (8_000_000, 11_000_000)}},
    "lead": {"years": 6, "salary": {"USD": (115_000, 145_000), "JPY": (10_000_000, 13_000_000)}},
    "manager": {"years": 7, "salary": {"USD": (130_000, 170_000), "JPY": (12_000_000, 16_000_000)}},
}
VARIABLE_PERCENT = 15

SEGMENT_SCAFFOLD: dict[str, SegmentScaffold] = {
    "smb": {
        "accounts": 120,
        "arr": {"USD": 3_000_000, "JPY": 300_000_000},
        "style": T(
            "a large book of smaller customers, served through scaled programmes and digital touchpoints",
            "多数の中小規模の顧客を、仕組み化された施策とデジタルな接点で支援します",
        ),
    },
    "mid-market": {
        "accounts": 40,
        "arr": {"USD": 5_000_000, "JPY": 600_000_000},
        "style": T(
            "a mixed book of growing companies, with regular reviews and some scaled programmes",
            "成長企業を中心に、定期的なレビューと一部の仕組み化された施策を組み合わせて支援します",
        ),
    },
    "enterprise": {
        "accounts": 15,
        "arr": {"USD": 8_000_000, "JPY": 1_000_000_000},
        "style": T(
            "a small book of large customers with several stakeholders each, from daily users to "
            "executive sponsors",
            "現場の利用者から経営層のスポンサーまで関係者の多い大企業の顧客を、少数担当します",
        ),
    },
    "strategic": {
        "accounts": 5,
        "arr": {"USD": 10_000_000, "JPY": 1_300_000_000},
        "style": T(
            "a handful of our most important customers, with multi-year success plans",
            "最重要顧客の数社を、複数年のサクセスプランとともに担当します",
        ),
    },
}

# segment names as they read inside a title or a sentence
SEGMENT_SHORT = {
    "smb": T("SMB", "SMB"),
    "mid-market": T("Mid-market", "ミッドマーケット"),
    "enterprise": T("Enterprise", "エンタープライズ"),
    "strategic": T("Strategic Accounts", "戦略顧客"),
}

TITLE = T("{level}Customer Success Manager{segment}", "{level}カスタマーサクセスマネージャー{segment}")
TITLE_PARTS: TitleParts = {
    "level": {
        "associate": T("Associate ", "アソシエイト"),
        "csm": T("", ""),
        "senior": T("Senior ", "シニア"),
        "lead": T("Lead ", "リード"),
        "manager": T("", ""),
    },
    "manager_title": T(
        "Customer Success Team Manager{segment}", "カスタマーサクセス チームマネージャー{segment}"
    ),
    "segment": T(", {name}", "({name})"),
}

MISSION = T(
    "Make our {segment} customers successful with the product so that they stay, grow with us and recommend us: "
    "own the relationship from onboarding to renewal, and bring what customers need back into the company.",
    "{segment}のお客様が製品で成果を上げ、継続・拡大し、他社にも薦めたくなる状態をつくること。"
    "オンボーディングから更新まで関係に責任を持ち、お客様のニーズを社内に届けます。",
)

DESCRIPTION = T(
    "Customer Success is not sales: sales wins the customer, and you make sure the customer wins. You will look "
    "after {style}. The work is proactive: you spot risk and opportunity before the customer has to ask.",
    "カスタマーサクセスは営業とは役割が異なります。営業が契約を獲得し、あなたはお客様の成功を実現します。"
    "このポジションでは、{style}。問題が起きてから対応するのではなく、お客様に言われる前にリスクと機会を見つけて動く仕事です。",
)

RESPONSIBILITIES = [
    T(
        "Onboard new customers: learn why they bought, plan the rollout with them and get them to first value quickly",
        "新規顧客のオンボーディング:導入の目的を理解し、展開計画を共に立て、早期に最初の成果を届ける",
    ),
    T(
        "Own a portfolio of customers and build lasting relationships with users, champions and executive sponsors",
        "担当顧客のポートフォリオを管理し、利用者・推進者・経営層のスポンサーと長期的な関係を築く",
    ),
    T(
        "Watch usage, health and renewal dates, and act on churn signals early",
        "利用状況・ヘルススコア・更新時期を把握し、解約の兆候に早めに手を打つ",
    ),
    T(
        "Lead renewal conversations and find the right moment for upsell and cross-sell, together with sales",
        "更新の対話をリードし、営業と連携してアップセル・クロスセルの適切なタイミングを見極める",
    ),
    T(
        "Analyse customer data and run business reviews and product demos that show the value achieved",
        "顧客データを分析し、達成した価値を示すビジネスレビューや製品デモを行う",
    ),
    T(
        "Carry customer feedback and requests to product and engineering, and close the loop with customers",
        "顧客の声や要望をプロダクト・開発チームに届け、結果をお客様に返す",
    ),
    T(
        "Answer requests and complaints, and help resolve disagreements fairly",
        "問い合わせや苦情に対応し、意見の相違を公正に調整する",
    ),
    T(
        "Improve onboarding procedures, tutorials and customer communication",
        "オンボーディング手順、チュートリアル、顧客向けコミュニケーションを改善する",
    ),
]
RESPONSIBILITIES_SENIOR = [
    T(
        "Write and improve Customer Success guidelines and playbooks, and help train the team",
        "カスタマーサクセスのガイドラインやプレイブックを作成・改善し、チームの育成に協力する",
    ),
]
RESPONSIBILITIES_MANAGER = [
    T(
        "Hire, coach and develop a team of CSMs, and set the standards they work to",
        "CSMチームの採用・指導・育成を行い、仕事の基準を示す",
    ),
    T(
        "Report on renewal rate, churn and customer satisfaction, and plan improvements with leadership",
        "更新率・解約率・顧客満足度を報告し、経営陣と改善計画を立てる",
    ),
]

QUALIFICATIONS = [
    T(
        "{years}+ years in customer success, account management, sales, consulting or customer service",
        "カスタマーサクセス、アカウントマネジメント、営業、コンサルティング、カスタマーサービスのいずれかで{years}年以上の経験",
    ),
    T(
        "Organised and able to run many customers and projects at once",
        "多数の顧客やプロジェクトを同時に進められる計画性",
    ),
    T(
        "Clear, attentive communication, in writing and in person, with users and executives alike",
        "利用者にも経営層にも伝わる、傾聴を基本とした明快なコミュニケーション力(対面・文章)",
    ),
    T(
        "Comfortable with software and quick to learn new tools; confident with presentation and document tools",
        "ソフトウェアに抵抗がなく新しいツールをすぐに習得できること。資料作成・プレゼンテーションツールの活用経験",
    ),
    T(
        "A degree in business, marketing, communications or a field related to our customers' industry, or "
        "equivalent experience",
        "ビジネス、マーケティング、コミュニケーション、または当社顧客の業界に関連する分野の学位、あるいは同等の実務経験",
    ),
]
QUALIFICATIONS_MANAGER = [
    T(
        "At least two years leading or supervising a customer-facing team",
        "顧客対応チームのリーダーまたは管理職として2年以上の経験",
    ),
]

SKILLS = [
    {
        "name": T("Customer success processes", "カスタマーサクセスの業務プロセス"),
        "level": T("Advanced", "上級"),
        "keywords": [
            T("onboarding", "オンボーディング"),
            T("renewals", "更新"),
            T("health scores", "ヘルススコア"),
        ],
    },
    {
        "name": T("Account growth", "アカウントの拡大"),
        "level": T("Intermediate", "中級"),
        "keywords": [T("upsell", "アップセル"), T("cross-sell", "クロスセル")],
    },
    {
        "name": T("Data and reporting", "データ分析とレポーティング"),
        "level": T("Intermediate", "中級"),
        "keywords": [T("CSAT", "CSAT"), T("NPS", "NPS"), T("churn rate", "解約率")],
    },
]

OUTCOMES = {
    "first_90_days": [
        T(
            "Know every account in the book: goals, stakeholders, health and renewal date, written down",
            "担当する全顧客の目標・関係者・ヘルス・更新時期を把握し、記録している",
        ),
        T(
            "Run a business review or success plan session with each of the top accounts",
            "主要顧客それぞれとビジネスレビューまたはサクセスプランの打ち合わせを実施している",
        ),
        T(
            "Take over onboarding of new customers and get each one to a first agreed outcome",
            "新規顧客のオンボーディングを引き継ぎ、各社が最初に合意した成果に到達している",
        ),
    ],
    "first_year": [
        T(
            "Renew the book at or above the team's gross retention target",
            "担当顧客の更新率がチームのグロスリテンション目標以上である",
        ),
        T(
            "Grow the book through upsell and cross-sell at or above the net retention target, with sales",
            "営業と連携したアップセル・クロスセルにより、ネットリテンション目標以上の拡大を実現している",
        ),
        T(
            "Raise customer satisfaction (CSAT/NPS) in the book and bring product feedback that leads to change",
            "担当顧客の満足度(CSAT/NPS)を高め、製品の改善につながるフィードバックを届けている",
        ),
    ],
}
OUTCOMES_MANAGER = {
    "first_90_days": [
        T(
            "Meet each CSM one to one, and agree on team priorities and a weekly rhythm",
            "各CSMと1対1で面談し、チームの優先事項と週次の進め方に合意している",
        )
    ],
    "first_year": [
        T(
            "Build a team where every CSM has a development plan and the team meets its retention targets",
            "全CSMに育成計画があり、チームとしてリテンション目標を達成している",
        )
    ],
}

HOW_TO_APPLY = T(
    "Send your resume and a few lines on a customer you helped succeed.",
    "履歴書・職務経歴書に、成功を支援したお客様の事例を数行添えてお送りください。",
)
BONUS = T(
    "Up to {percent}% of base, tied to renewal and expansion targets",
    "基本給の最大{percent}%の変動報酬(更新・拡大目標の達成度に連動)",
)
COMPANY = T("Example Co.", "株式会社サンプル")
TYPE = T("Full-time", "正社員")
EXPERIENCE = {
    "associate": T("Entry level", "未経験可"),
    "csm": T("Mid level", "中堅(実務経験者)"),
    "senior": T("Senior", "シニア"),
    "lead": T("Senior", "シニア"),
    "manager": T("Manager", "管理職"),
}
BENEFITS = [
    T("Health insurance", "健康保険・厚生年金"),
    T("Paid time off", "年次有給休暇"),
    T("Learning budget", "研修・書籍購入の補助"),
]
SCOPE_OF_CHANGE = {
    "duties": T(
        "Customer success work and related work the company assigns",
        "(雇入れ直後)カスタマーサクセス業務 (変更の範囲)会社の定める業務",
    ),
    "work_location": T(
        "The office above or home; may change to any of the company's offices",
        "(雇入れ直後)上記勤務地または自宅 (変更の範囲)会社の定める事業所",
    ),
}
LOCATION = {
    "en": {"city": "Austin", "region": "TX", "countryCode": "US"},
    "ja": {"city": "千代田区", "region": "東京都", "countryCode": "JP"},
}
