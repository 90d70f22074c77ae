# Русский каталог reglament: все сообщения, подписи и заголовки всех отчётов.
# Ключи те же, что в kk.ftl и en.ftl (это проверяет тест). Текст регламента на казахском
# языке — первоисточник; здесь собственные слова программы.

## Пункты, как их цитирует русский язык

cite-para = пункт { $para }
cite-sub = подпункт { $sub }) пункта { $para }
cite-process = пункт { $para }, процесс { $n }
cite-annex = приложение { $annex }
cite-annex-table = таблица { $table } приложения { $annex }
cite-annex-row = строка { $row } таблицы { $table } приложения { $annex }
cite-standard = стандарт государственной услуги ({ $part })
cite-standard-para = пункт { $para } стандарта государственной услуги
cite-other = пункт { $ref }

## Величины: существительное согласуется с числом

amount = { $n } { $unit ->
    [seconds] { $n ->
        [one] секунда
        [few] секунды
        [many] секунд
       *[other] секунды
    }
    [minutes] { $n ->
        [one] минута
        [few] минуты
        [many] минут
       *[other] минуты
    }
    [hours] { $n ->
        [one] час
        [few] часа
        [many] часов
       *[other] часа
    }
    [working_days] { $n ->
        [one] рабочий день
        [few] рабочих дня
        [many] рабочих дней
       *[other] рабочего дня
    }
   *[calendar_days] { $n ->
        [one] календарный день
        [few] календарных дня
        [many] календарных дней
       *[other] календарного дня
    }
}
deadline-day = конец дня { $date }
list-none = нет

## Виды нарушений и их строгость

kind-unknown_service = неизвестная услуга
kind-no_rule_in_force = нет действующего регламента
kind-unknown_step = неизвестный шаг
kind-unexpected_step = нарушен порядок шагов
kind-missing_step = пропущен шаг
kind-duplicate_step = повтор шага
kind-step_overdue = просрочен шаг
kind-term_overdue = просрочен общий срок
kind-open_overdue = открытое дело просрочено
kind-refusal_without_ground = отказ без основания
kind-refusal_ground_not_allowed = недопустимое основание отказа
kind-event_after_end = событие после завершения
kind-outside_calendar = вне календаря
severity-hard = по закону
severity-norm = норматив

## Нарушения

basis = { $inferred ->
    [yes] выведен для: { $cite }; цифры нет в тексте, см. примечания набора правил
   *[no] установлен: { $cite }
}
step-overdue = шаг { $step } ({ $name }) занял { $actual } при сроке { $limit }{ $quote } ({ basis }); срок истёк: { $deadline }
term-overdue = срок { $term }, заканчивающийся шагом { $step }, занял { $actual } при сроке { $limit }{ $quote } ({ basis }); срок истёк: { $deadline }
step-overdue-day = шаг { $step } ({ $name }) завершён { $closed }, после истечения срока в конце дня { $due } ({ $limit }{ $quote }, { basis }){ $more ->
    [yes] ; занял { $actual }
   *[no] {""}
}
term-overdue-day = срок { $term }, заканчивающийся шагом { $step }, завершён { $closed }, после истечения срока в конце дня { $due } ({ $limit }{ $quote }, { basis }){ $more ->
    [yes] ; занял { $actual }
   *[no] {""}
}
open-overdue = дело не завершено на { $as_of }: { $what } — срок до { $deadline } ({ $limit }, { basis }); прошло { $actual }
open-step = шаг { $step } ({ $name }) после { $prev }
open-term = срок { $term } от { $from } до { $to }
open-outside-passed = дело не завершено на { $as_of }: { $what } — срок до { $deadline } ({ $limit }, { basis }) истёк; затраченное время не посчитать: дата { $date } вне диапазона календаря { $from }..={ $to }
open-outside = дело не завершено на { $as_of }: просрочен ли { $what } ({ $limit }, { basis }), не посчитать: дата { $date } вне диапазона календаря { $from }..={ $to }
outside-calendar = срок по { $cite } не проверен: дата { $date } вне диапазона календаря { $from }..={ $to }
undeclared-channel = в деле указан канал «{ $value }», которого регламент не предусматривает; предусмотрены: { $provided }
undeclared-variant = в деле указан вариант «{ $value }», которого регламент не предусматривает; предусмотрены: { $provided }
unknown-step = в наборе правил { $rule_set } нет шага «{ $value }»
event-after-end = шаг { $step } ({ $name }) выполнен после завершения дела
at-start = в начале дела
after-step = после { $step }
not-on-route = шаг { $step } ({ $name }) не относится к каналу или варианту этого дела
duplicate-step = шаг { $step } ({ $name }) повторён { $after }, чего { $cite } не допускает
missing-step = шаг { $step } выполнен { $after } без шага { $missing } ({ $name }, { $cite }){ $skipped_count ->
    [0] {""}
   *[other] ; пропущены: { $skipped }
}
unexpected-step = шаг { $step } ({ $name }) не может следовать { $after }; допустимы: { $allowed }
result-after-refusal = шаг { $step } выдаёт результат, хотя отказ по делу принят на шаге { $refusal } ({ $cite })
refusal-undecided = шаг { $step } выдаёт отказ, но ни один шаг дела его не принимал
refusal-without-ground = отказ на шаге { $step } ({ $name }) не называет основания; { $cite } требует мотивированного отказа по допустимому основанию
ground-not-allowed = отказ на шаге { $step } ссылается на основание «{ $ground }», которое регламент здесь не допускает; допустимы: { $allowed }
unknown-service = ни один набор правил не описывает услугу «{ $service }»
no-rule-in-force = дело начато { $date }, когда ни одна из описанных в наборах правил редакций регламента услуги не могла применяться; известные редакции (самые ранние возможные первый и последний дни): { $editions }

## Предупреждения

warning-no-decree = постановление о переносе выходных за { $years } не записано: { $count ->
    [one] дни этого года считаются
   *[other] дни этих лет считаются
} только по праздникам закона, переносы могут быть пропущены
warning-terms-not-checked = { $rule_set }: { $count ->
    [one] срок
   *[other] сроки
} { $terms } не { $count ->
    [one] проверен
   *[other] проверены
}: регламент не даёт значения
warning-empty-input = { $file }: пустой ввод, не прочитано ни одной строки (закрытый стандартный ввод читается как пустой)
warning-validity-start = { $rule_set }: { $cases } { $cases ->
    [one] дело, начатое { $days }, проверено
    [few] дела, начатых { $days }, проверены
   *[many] дел, начатых { $days }, проверены
} по этой редакции, которая тогда, возможно, ещё не применялась: она применяется не ранее { $earliest } (через десять дней после опубликования, дата которого в тексте не указана), { $latest ->
    [unknown] а самый поздний возможный первый день данные не дают
   *[other] и не позднее { $latest }
}
warning-validity-end = { $rule_set }: { $cases } { $cases ->
    [one] дело, начатое { $days }, проверено
    [few] дела, начатых { $days }, проверены
   *[many] дел, начатых { $days }, проверены
} по этой редакции, которая тогда, возможно, уже не применялась: её последний день не ранее { $earliest } (отмена применяется с дня, которого текст не указывает), { $latest ->
    [unknown] а самый поздний возможный последний день данные не дают
   *[other] и не позднее { $latest }
}

## Текстовый отчёт

text-title = reglament check: { $files } { $files ->
    [one] файл
    [few] файла
   *[many] файлов
}, { $lines } { $lines ->
    [one] строка прочитана
    [few] строки прочитано
   *[many] строк прочитано
}
text-events = событий принято { $events }, записей отклонено { $rejected }
text-blank = пустых строк пропущено { $n }
text-cases = дел { $cases } (проверено { $checked }, открыто { $open }), с нарушениями { $violating }
text-as-of = открытые дела оценены на { $as_of }
text-no-violations = нарушений нет
text-violations = нарушений { $n } (по закону { $hard }, нормативов { $norm })
text-by-provider = по услугодателям
text-by-service = по услугам
text-by-kind = по видам
text-no-provider = (услугодатель не указан)
text-unreadable = ошибка: { $file }: не прочитан до конца: { $reason }
text-warning = предупреждение
text-cases-heading = Дела
text-case = дело { $case }
text-edition = редакция { $edition }
text-event-at = событие { $time }
text-rejected = отклонённые записи ({ $n }):
text-field = поле { $field }:
text-rejected-more = ... ещё { $n } не показаны (--max-rejected-shown); все отклонённые по причинам: { $reasons }

## HTML-отчёт
html-title = reglament: отчёт о соблюдении регламентов
html-due_soon = Скоро срок
html-due_soon_note = Открытые дела, чей ближайший срок наступает в пределах окна на момент оценки: это ещё не нарушения, и они не меняют код выхода. Ближайшие сначала.
html-days_left = Осталось рабочих дней
html-summary = Сводка
html-files = Прочитано журналов
html-lines = Строк
html-events = Событий
html-rejected = Отклонённых записей
html-unreadable = Нечитаемых журналов
html-cases = Дел
html-cases_checked = Проверено по набору правил
html-open_cases = Открытых дел
html-cases_with_violations = Дел с нарушениями
html-violations = Нарушения
html-hard = по закону (сроки и правила)
html-norm = нормативы (целевое время)
html-as_of = Открытые дела оценены на
html-not_judged = открытые дела подсчитаны, но не оценены (нет --as-of)
html-compliance = Доля соблюдения
html-compliance_note = Доля завершённых дел (выдан результат или отказ), в которых соблюдены все сроки по закону: нет нарушений step_overdue или term_overdue строгости hard. Для каждой доли указано число дел; нарушения порядка здесь не учитываются, как и дела со сроком вне данных календаря (не оценены) и сроки, для которых регламент не даёт значения (см. предупреждения).
html-by_provider = По услугодателям
html-by_service = По услугам
html-finished = завершено
html-compliant = все сроки соблюдены
html-rate = доля
html-root_causes = Причины просрочек
html-root_causes_note = Каждый шаг или срок, лимит которого превышен (step_overdue, term_overdue, open_overdue), с пунктом лимита; столбцы — доля всех дней просрочки (календарные дни от срока до запоздавшего события), линия — их нарастающий итог.
html-step = Шаг
html-paragraph = Пункт
html-count = Число
html-overdue_days = Дней просрочки
html-share = Доля
html-cumulative = Нарастающий итог
html-step_times = Затраченное время против лимита, по шагам
html-step_times_note = Для каждого шага с лимитом, до которого дошли дела: первый столбец — дела в пределах лимита (или не измеренные: лимит времени у окна требует времени начала события); красные столбцы — превышения по затраченному времени, в единицах лимита. Длительность сообщается только при превышении лимита.
html-limits = лимиты
html-overruns = превышения
html-limit = Лимит
html-reached = дел дошло до шага
html-table_note = Фильтруйте списками; щёлкните заголовок столбца для сортировки.
html-all = все
html-shown = показано
html-case = Дело
html-service = Услуга
html-provider = Услугодатель
html-kind = Вид
html-severity = Строгость
html-actual = Затрачено
html-phrase = Формулировка регламента
html-deadline = Срок
html-at = Время события
html-source = Строка журнала
html-message = Нарушение
html-timelines = Хронология дел с нарушениями
html-timelines_note = Каждая строка — событие в местном времени; серая полоса идёт от предыдущего события. Чёрная метка — срок, красное — время после него, оранжевое кольцо — нарушение порядка или оснований. Затенённые столбцы — нерабочие дни календаря Казахстана. Сначала дела с наибольшей просрочкой.
html-timelines_cut = Показаны только первые дела; таблица выше перечисляет все нарушения.
html-day_off = нерабочий день
html-late = просрочка
html-warnings = Предупреждения
html-rejected_records = Отклонённые записи
html-reason = Причина
html-field = Поле
html-none = нет
html-no_provider = (услугодатель не указан)

## Consequences and cases due soon

text-consequential = следствия этих нарушений указаны рядом с ними и не считаются: { $n }
text-consequence-of = следствие: { $kind } { $step }, не считается
text-due-heading = срок скоро истекает ({ $n }), это ещё не нарушения:
text-due-step = шаг { $step }
text-due-term = срок { $term } (завершающий шаг { $step })
text-due-line = дело { $case } — { $service }: { $what } [{ $cite }] срок до { $deadline } ({ $limit }), осталось { $left }

## Nightly state (check --state, history): issue 17

since-heading = с прошлого запуска (запуск { $previous }, на { $as_of }): новых { $new }, устранено { $resolved }, остаются { $open }
since-first = первый запуск с этим файлом состояния: новых { $new }, устранено { $resolved }, остаются { $open }
since-provider = { $provider }: новых { $new }, устранено { $resolved }, остаются { $open }
since-no-provider = (услугодатель не указан): новых { $new }, устранено { $resolved }, остаются { $open }
since-new-heading = новые с прошлого запуска ({ $n }):
since-resolved-heading = устранённые с прошлого запуска ({ $n }):
since-line = дело { $case } — { $service }: { $kind } [{ $cite }] { $message }
since-rule-set-added = набор правил { $rule_set }: прошлый запуск его не применял
since-rule-set-changed = набор правил { $rule_set }: изменён с прошлого запуска; открытые дела оцениваются по версии этого запуска, уже записанные нарушения сохраняют хеш версии, по которой выявлены
since-rule-set-removed = набор правил { $rule_set }: применялся прошлым запуском, этим — нет
history-none = в этом файле состояния запусков нет
history-run = запуск { $run }, на { $as_of }: событий { $events }, повторов { $duplicates }; нарушения: новых { $new }, остаются { $open }, устранено { $resolved }
history-provider = { $provider }: дел { $cases }, с неустранёнными нарушениями { $with }, доля соблюдения { $rate }
