# reglament-тің қазақша каталогы: барлық есептердің хабарлары, белгілері мен тақырыптары.
# Кілттері ru.ftl және en.ftl-дегідей (тест тексереді). Регламенттің қазақ тіліндегі
# мәтіні — түпнұсқа; мұнда бағдарламаның өз сөздері.

## Тармақтар, қазақ тілі оларға қалай сілтеме жасайды

cite-para = { $para }-тармақ
cite-sub = { $para }-тармақтың { $sub }) тармақшасы
cite-process = { $para }-тармақ, { $n }-процесс
cite-annex = { $annex }-қосымша
cite-annex-table = { $annex }-қосымшаның { $table }-кестесі
cite-annex-row = { $annex }-қосымшаның { $table }-кестесінің { $row }-жолы
cite-standard = мемлекеттік көрсетілетін қызмет стандарты ({ $part })
cite-standard-para = мемлекеттік көрсетілетін қызмет стандартының { $para }-тармағы
cite-other = { $ref } тармақ

## Шамалар: сан есімнен кейін зат есім жекеше түрде тұрады

amount = { $n } { $unit ->
    [seconds] секунд
    [minutes] минут
    [hours] сағат
    [working_days] жұмыс күні
   *[calendar_days] күнтізбелік күн
}
deadline-day = { $date } күнінің соңы
list-none = жоқ

## Бұзушылық түрлері және қатаңдығы

kind-unknown_service = белгісіз қызмет
kind-no_rule_in_force = қолданыстағы регламент жоқ
kind-unknown_step = белгісіз қадам
kind-unexpected_step = қадамдар реті бұзылған
kind-missing_step = қадам өткізіп жіберілген
kind-duplicate_step = қадам қайталанған
kind-step_overdue = қадам мерзімі өткен
kind-term_overdue = жалпы мерзім өткен
kind-open_overdue = ашық істің мерзімі өткен
kind-refusal_without_ground = негізсіз бас тарту
kind-refusal_ground_not_allowed = бас тартудың рұқсат етілмеген негізі
kind-event_after_end = аяқталғаннан кейінгі оқиға
kind-outside_calendar = күнтізбеден тыс
severity-hard = заң бойынша
severity-norm = норматив

## Бұзушылықтар

basis = { $inferred ->
    [yes] { $cite } үшін шығарылған; сан мәтінде жоқ, ережелер жинағының ескертпелерін қараңыз
   *[no] белгілеген: { $cite }
}
step-overdue = { $step } қадамы ({ $name }) { $actual } алды, { $limit }{ $quote } мерзімнен асып кетті ({ basis }); мерзім: { $deadline }
term-overdue = { $step } қадамымен аяқталатын { $term } мерзімі { $actual } алды, { $limit }{ $quote } мерзімнен асып кетті ({ basis }); мерзім: { $deadline }
step-overdue-day = { $step } қадамы ({ $name }) { $closed } күні аяқталды, мерзім { $due } күнінің соңында өтті ({ $limit }{ $quote }, { basis }){ $more ->
    [yes] ; { $actual } алды
   *[no] {""}
}
term-overdue-day = { $step } қадамымен аяқталатын { $term } мерзімі { $closed } күні аяқталды, мерзім { $due } күнінің соңында өтті ({ $limit }{ $quote }, { basis }){ $more ->
    [yes] ; { $actual } алды
   *[no] {""}
}
open-overdue = іс { $as_of } кезінде әлі ашық: { $what } { $deadline } дейін орындалуы тиіс еді ({ $limit }, { basis }); { $actual } өтті
open-step = { $prev } қадамынан кейінгі { $step } қадамы ({ $name })
open-term = { $from } қадамынан { $to } қадамына дейінгі { $term } мерзімі
open-outside-passed = іс { $as_of } кезінде әлі ашық: { $what } { $deadline } дейін орындалуы тиіс еді ({ $limit }, { basis }), бұл мерзім өтті; жұмсалған уақытты есептеу мүмкін емес: { $date } күні күнтізбе ауқымынан тыс: { $from }..={ $to }
open-outside = іс { $as_of } кезінде әлі ашық: { $what } мерзімі өткен-өтпегенін ({ $limit }, { basis }) есептеу мүмкін емес: { $date } күні күнтізбе ауқымынан тыс: { $from }..={ $to }
outside-calendar = { $cite } мерзімін тексеру мүмкін болмады: { $date } күні күнтізбе ауқымынан тыс: { $from }..={ $to }
undeclared-channel = істе регламент көздемеген «{ $value }» арнасы аталған; көзделгендері: { $provided }
undeclared-variant = істе регламент көздемеген «{ $value }» нұсқасы аталған; көзделгендері: { $provided }
unknown-step = { $rule_set } ережелер жинағында «{ $value }» қадамы жоқ
event-after-end = { $step } қадамы ({ $name }) іс аяқталғаннан кейін болды
at-start = істің басында
after-step = { $step } қадамынан кейін
not-on-route = { $step } қадамы ({ $name }) осы істің арнасына немесе нұсқасына жатпайды
duplicate-step = { $step } қадамы ({ $name }) { $after } қайталанды, { $cite } бұған жол бермейді
missing-step = { $step } қадамы { $after } { $missing } қадамынсыз ({ $name }, { $cite }) орындалды{ $skipped_count ->
    [0] {""}
   *[other] ; өткізіп жіберілгендер: { $skipped }
}
unexpected-step = { $step } қадамы ({ $name }) { $after } келе алмайды; рұқсат етілгендер: { $allowed }
result-after-refusal = { $step } қадамы нәтиже береді, бірақ іс бойынша бас тарту { $refusal } қадамында шешілген ({ $cite })
refusal-undecided = { $step } қадамы бас тарту береді, бірақ істің бірде-бір қадамы оны шешпеген
refusal-without-ground = { $step } қадамындағы ({ $name }) бас тарту негізді атамайды; { $cite } рұқсат етілген негіз бойынша дәлелді бас тартуды талап етеді
ground-not-allowed = { $step } қадамындағы бас тарту регламент мұнда жол бермейтін «{ $ground }» негізіне сілтейді; рұқсат етілгендер: { $allowed }
unknown-service = «{ $service }» қызметін бірде-бір ережелер жинағы сипаттамайды
no-rule-in-force = іс { $date } басталған, ол кезде ережелер жинағында сипатталған қызмет регламентінің бірде-бір редакциясы қолданылуы мүмкін емес еді; белгілі редакциялар (ең ерте мүмкін алғашқы және соңғы күндері): { $editions }

## Ескертулер

warning-no-decree = { $years } жылға демалыс күндерін ауыстыру туралы қаулы жазылмаған: күндер тек заңдағы мереке ережелерімен есептеледі, ауыстырулар өткізіліп кетуі мүмкін
warning-terms-not-checked = { $rule_set }: { $terms } мерзімі тексерілмеді: регламент мәнін бермейді
warning-empty-input = { $file }: бос кіріс, бірде-бір жол оқылмады (жабық стандартты кіріс бос болып оқылады)
warning-validity-start = { $rule_set }: { $days } басталған { $cases } іс осы редакция бойынша тексерілді, бірақ ол кезде редакция әлі қолданылмаған болуы мүмкін: ол { $earliest } күнінен ерте емес қолданылады (мәтінде күні берілмеген алғашқы ресми жарияланғаннан кейін он күн өткен соң), { $latest ->
    [unknown] ал ең кеш мүмкін алғашқы күнін деректер бермейді
   *[other] және { $latest } күнінен кеш емес
}
warning-validity-end = { $rule_set }: { $days } басталған { $cases } іс осы редакция бойынша тексерілді, бірақ ол кезде редакция енді қолданылмаған болуы мүмкін: оның соңғы күні { $earliest } күнінен ерте емес (күшін жою мәтінде берілмеген күннен бастап қолданылады), { $latest ->
    [unknown] ал ең кеш мүмкін соңғы күнін деректер бермейді
   *[other] және { $latest } күнінен кеш емес
}

## Мәтіндік есеп

text-title = reglament check: { $files } файл, { $lines } жол оқылды
text-events = қабылданған оқиғалар { $events }, қабылданбаған жазбалар { $rejected }
text-blank = өткізілген бос жолдар { $n }
text-cases = істер { $cases } (тексерілгені { $checked }, ашығы { $open }), бұзушылығы барлары { $violating }
text-as-of = ашық істер { $as_of } кезіне бағаланды
text-no-violations = бұзушылық жоқ
text-violations = бұзушылықтар { $n } (заң бойынша { $hard }, норматив { $norm })
text-by-provider = көрсетілетін қызметті берушілер бойынша
text-by-service = қызметтер бойынша
text-by-kind = түрлері бойынша
text-no-provider = (қызмет беруші аталмаған)
text-unreadable = қате: { $file }: соңына дейін оқылмады: { $reason }
text-warning = ескерту
text-cases-heading = Істер
text-case = іс { $case }
text-edition = редакция { $edition }
text-event-at = оқиға уақыты { $time }
text-rejected = қабылданбаған жазбалар ({ $n }):
text-field = { $field } өрісі:
text-rejected-more = ... тағы { $n } көрсетілмеді (--max-rejected-shown); барлық қабылданбағандар себептері бойынша: { $reasons }

## HTML есебі
html-title = reglament: регламенттерді сақтау туралы есеп
html-due_soon = Мерзімі жақын
html-due_soon_note = Бағалау кезінде келесі мерзімі терезе ішінде түсетін ашық істер: бұл әлі бұзушылық емес және шығу кодын өзгертпейді. Ең жақындары бірінші.
html-days_left = Қалған жұмыс күндері
html-summary = Жиынтық
html-files = Оқылған журналдар
html-lines = Жолдар
html-events = Оқиғалар
html-rejected = Қабылданбаған жазбалар
html-unreadable = Оқылмаған журналдар
html-cases = Істер
html-cases_checked = Ережелер жинағымен тексерілгені
html-open_cases = Ашық істер
html-cases_with_violations = Бұзушылығы бар істер
html-violations = Бұзушылықтар
html-hard = заң бойынша (мерзімдер мен ережелер)
html-norm = нормативтер (мақсатты уақыт)
html-as_of = Ашық істер бағаланған кез
html-not_judged = ашық істер саналды, бірақ бағаланбады (--as-of жоқ)
html-compliance = Сақталу үлесі
html-compliance_note = Заң бойынша барлық мерзімдер сақталған аяқталған істердің (нәтиже немесе бас тарту берілген) үлесі: hard қатаңдығындағы step_overdue немесе term_overdue жоқ. Әр үлестің артындағы істер саны берілген; рет бұзушылықтары мұнда саналмайды, күнтізбе деректерінен тыс мерзімі бар істер (бағаланбаған) және регламент мәнін бермейтін мерзімдер де саналмайды (ескертулерді қараңыз).
html-by_provider = Қызмет берушілер бойынша
html-by_service = Қызметтер бойынша
html-finished = аяқталды
html-compliant = барлық мерзім сақталды
html-rate = үлес
html-root_causes = Мерзім өтуінің себептері
html-root_causes_note = Лимиті асып кеткен әр қадам немесе мерзім (step_overdue, term_overdue, open_overdue), лимиттің тармағымен; бағандар — мерзімі өткен барлық күндердің үлесі (мерзімнен кешіккен оқиғаға дейінгі күнтізбелік күндер), сызық — олардың жинақталған қосындысы.
html-step = Қадам
html-paragraph = Тармақ
html-count = Саны
html-overdue_days = Кешіккен күндер
html-share = Үлес
html-cumulative = Жинақталған
html-step_times = Қадамдар бойынша жұмсалған уақыт пен лимит
html-step_times_note = Істер жеткен лимиті бар әр қадам үшін: бірінші баған — лимит ішіндегі істер (немесе өлшенбегендер: терезедегі уақыт лимиті оқиғаның басталу уақытын қажет етеді); қызыл бағандар — жұмсалған уақыты бойынша асып кетулер, лимит бірлігімен. Ұзақтық тек лимит асқанда хабарланады.
html-limits = лимиттер
html-overruns = асып кетулер
html-limit = Лимит
html-reached = іс қадамға жетті
html-table_note = Тізімдермен сүзіңіз; сұрыптау үшін баған тақырыбын басыңыз.
html-all = барлығы
html-shown = көрсетілген
html-case = Іс
html-service = Қызмет
html-provider = Қызмет беруші
html-kind = Түрі
html-severity = Қатаңдығы
html-actual = Жұмсалды
html-phrase = Регламенттің сөзі
html-deadline = Мерзім
html-at = Оқиға уақыты
html-source = Журнал жолы
html-message = Бұзушылық
html-timelines = Бұзушылығы бар істердің уақыт сызықтары
html-timelines_note = Әр жол — жергілікті уақытпен орналасқан оқиға; сұр жолақ алдыңғы оқиғадан басталады. Қара белгі — мерзім, қызыл — одан кейінгі уақыт, қызғылт сары шеңбер — рет немесе негіз бұзушылығы. Көлеңкелі бағандар — Қазақстан күнтізбесінің жұмыс емес күндері. Ең көп кешіккен істер бірінші.
html-timelines_cut = Тек алғашқы істер сызылған; жоғарыдағы кесте барлық бұзушылықтарды тізеді.
html-day_off = жұмыс емес күн
html-late = кешігу
html-warnings = Ескертулер
html-rejected_records = Қабылданбаған жазбалар
html-reason = Себебі
html-field = Өріс
html-none = жоқ
html-no_provider = (қызмет беруші аталмаған)

## Consequences and cases due soon

text-consequential = осы бұзушылықтардың салдары олармен бірге көрсетілген, есептелмейді: { $n }
text-consequence-of = салдары: { $kind } { $step }, есептелмейді
text-due-heading = мерзімі жақында өтеді ({ $n }), бұл әлі бұзушылық емес:
text-due-step = { $step } қадамы
text-due-term = { $term } мерзімі (аяқтайтын қадам { $step })
text-due-line = { $case } ісі — { $service }: { $what } [{ $cite }] мерзімі { $deadline } дейін ({ $limit }), { $left } қалды

## Nightly state (check --state, history): issue 17

since-heading = соңғы іске қосудан бері ({ $previous }-іске қосу, { $as_of } бойынша): жаңа { $new }, жойылған { $resolved }, әлі ашық { $open }
since-first = осы күй файлымен алғашқы іске қосу: жаңа { $new }, жойылған { $resolved }, әлі ашық { $open }
since-provider = { $provider }: жаңа { $new }, жойылған { $resolved }, әлі ашық { $open }
since-no-provider = (қызмет беруші аталмаған): жаңа { $new }, жойылған { $resolved }, әлі ашық { $open }
since-new-heading = соңғы іске қосудан бергі жаңа бұзушылықтар ({ $n }):
since-resolved-heading = соңғы іске қосудан бері жойылған бұзушылықтар ({ $n }):
since-line = { $case } ісі — { $service }: { $kind } [{ $cite }] { $message }
since-rule-set-added = { $rule_set } ережелер жинағы: соңғы іске қосуда қолданылмаған
since-rule-set-changed = { $rule_set } ережелер жинағы: соңғы іске қосудан бері өзгерді; ашық істер осы іске қосудың нұсқасы бойынша бағаланады, бұрын жазылған бұзушылықтар өздері анықталған нұсқаның хешін сақтайды
since-rule-set-removed = { $rule_set } ережелер жинағы: соңғы іске қосуда қолданылған, бұл жолы қолданылмады
history-none = бұл күй файлында бірде-бір іске қосу жазылмаған
history-run = { $run }-іске қосу, { $as_of } бойынша: оқиғалар { $events }, қайталанғандар { $duplicates }; бұзушылықтар: жаңа { $new }, әлі ашық { $open }, жойылған { $resolved }
history-provider = { $provider }: істер { $cases }, жойылмаған бұзушылығы барлар { $with }, сақталу үлесі { $rate }
