"""The demo's imprint and privacy policy, in English, Russian, Belarusian and German.

The association, its address and register entry are invented for the demo (marked so); the
supervisory authority is the real one for an association seated in Berlin. What the policy says
the site does with data is what the code does: each statement is listed in docs/promises.md
with the tests that prove it, and the figures are placeholders the site fills from its settings.
"""

from __future__ import annotations

from datetime import date

from picketline.campaigns.models import LegalPage
from picketline.lib.demo_dates import DemoDates

IMPRINT_TITLE = {
    "en": "Imprint",
    "ru": "Выходные данные",
    "be": "Выхадныя звесткі",
    "de": "Impressum",
}

IMPRINT = {
    "en": """## Provider (§ 5 DDG)

Solidarity with Belarusian Trade Unionists e.V. (demo)
Beispielstraße 1
10115 Berlin
Germany

## Represented by

The board: Anna Beispiel (chair), Jonas Muster (treasurer) — demo names.

## Contact

E-mail: info@solidarity.example
Telephone: +49 30 0000000 (demo)

## Register entry

Register of associations at the Amtsgericht Charlottenburg, VR 00000 B (demo).

## Responsible for the content (§ 18 (2) MStV)

Anna Beispiel, address as above.

## Disputes

We are neither obliged nor willing to take part in dispute resolution proceedings before a consumer arbitration board.""",
    "ru": """## Поставщик услуг (§ 5 DDG)

Solidarity with Belarusian Trade Unionists e.V. (демо)
Beispielstraße 1
10115 Berlin
Германия

## Представители

Правление: Анна Байшпиль (председатель), Йонас Мустер (казначей) — демо-имена.

## Контакты

Эл. почта: info@solidarity.example
Телефон: +49 30 0000000 (демо)

## Регистрация

Реестр объединений при участковом суде Шарлоттенбург (Amtsgericht Charlottenburg), VR 00000 B (демо).

## Ответственная за содержание (§ 18 абз. 2 MStV)

Анна Байшпиль, адрес см. выше.

## Споры

Мы не обязаны и не готовы участвовать в процедурах урегулирования споров в потребительской арбитражной комиссии.""",
    "be": """## Пастаўшчык паслуг (§ 5 DDG)

Solidarity with Belarusian Trade Unionists e.V. (дэма)
Beispielstraße 1
10115 Berlin
Германія

## Прадстаўнікі

Праўленне: Ганна Байшпіль (старшыня), Ёнас Мустэр (скарбнік) — дэма-імёны.

## Кантакты

Эл. пошта: info@solidarity.example
Тэлефон: +49 30 0000000 (дэма)

## Рэгістрацыя

Рэестр аб'яднанняў пры ўчастковым судзе Шарлотэнбург (Amtsgericht Charlottenburg), VR 00000 B (дэма).

## Адказная за змест (§ 18 абз. 2 MStV)

Ганна Байшпіль, адрас гл. вышэй.

## Спрэчкі

Мы не абавязаныя і не гатовыя ўдзельнічаць у працэдурах урэгулявання спрэчак у спажывецкай арбітражнай камісіі.""",
    "de": """## Anbieter (§ 5 DDG)

Solidarity with Belarusian Trade Unionists e.V. (Demo)
Beispielstraße 1
10115 Berlin
Deutschland

## Vertreten durch

Den Vorstand: Anna Beispiel (Vorsitzende), Jonas Muster (Schatzmeister) — Demo-Namen.

## Kontakt

E-Mail: info@solidarity.example
Telefon: +49 30 0000000 (Demo)

## Registereintrag

Vereinsregister beim Amtsgericht Charlottenburg, VR 00000 B (Demo).

## Verantwortlich für den Inhalt (§ 18 Abs. 2 MStV)

Anna Beispiel, Anschrift wie oben.

## Streitbeilegung

Wir sind nicht verpflichtet und nicht bereit, an Streitbeilegungsverfahren vor einer Verbraucherschlichtungsstelle teilzunehmen.""",
}

PRIVACY_TITLE = {
    "en": "Privacy policy",
    "ru": "Политика конфиденциальности",
    "be": "Палітыка прыватнасці",
    "de": "Datenschutzerklärung",
}

PRIVACY = {
    "en": """## Who is responsible

The controller is Solidarity with Belarusian Trade Unionists e.V. (demo), Beispielstraße 1, 10115 Berlin, Germany, info@solidarity.example (see the imprint). We have not appointed a data protection officer; write to the same address.

## What taking part reveals

Whatever you do here — a letter, a video, an endorsement, a registration for an event — shows that you support jailed trade unionists in Belarus: your political opinion, and perhaps trade-union membership. The law protects these specially (Art. 9 GDPR). We therefore ask for your explicit consent and keep as little as we can.

## What we process, and why

- Taking part in an action you chose: your name, e-mail address, the language for our e-mails, the country if you give it, and what you write or send. Legal basis: your explicit consent (Art. 9(2)(a) and Art. 6(1)(a) GDPR), which you give by sending the form after reading what it reveals and by confirming with the link we e-mail to you.
- Each use that goes further has a box of its own, never ticked in advance: news by e-mail, a letter sent in your name to the recipients shown, your name published, your video published, your name and e-mail address given to a partner organisation the form names. News by e-mail is never a condition of anything; where the box is the action itself (a letter in your name, a video to publish) the form cannot be sent without it. We record the exact wording you saw, its language and the time. Legal basis: your explicit consent (Art. 9(2)(a) and Art. 6(1)(a) GDPR).
- Protecting the forms from abuse: to count how often a form is sent we use a fingerprint of your connection, computed with a secret key, that is not your address and changes every day. We store no IP address, not even in our logs. Legal basis: our legitimate interest in a site that works (Art. 6(1)(f) GDPR).

## How we keep it

Your name and e-mail address, and the words you write, are stored encrypted. In clear we keep only dates and numbers (when an action takes place, how many took part), what you choose from a list, and what you give us to publish: an endorsing organisation's name, country and size, the name shown with your video, and, once we publish an action you host, its title, description and place. This site sets no tracking cookies and loads nothing from other websites unless you ask it to: a form sets one cookie that protects it from forged requests, holds nothing about you and has no expiry date, so your browser deletes it at the end of its session (when you close the browser, unless it reopens the tabs you had open; in a private window, when you close the last private window), and your privacy page sets a session cookie while it is open. Before we publish a video or a photo we make a fresh copy of it without what the file says about where, when and with what it was recorded.

## Who receives it

- The recipients of a letter, only if you agree to send it in your name: you see them on the form before you send. Some are outside the European Union, for example the International Labour Organization in Geneva.
- The public, only for what you agreed to publish and only after a moderator has approved it: on this site and, for a video, also on the campaign's channels on social media. When you withdraw that consent, it comes off this site at once and the organisers are told to take a video down from the campaign's channels; copies others have made are beyond our reach.
- The organisers who need it for their task; every look at a supporter's personal data in the administration is logged.
- A partner organisation named in a box of its own on the form (for example a union confederation that shared the campaign), only if you tick that box: your name and e-mail address, so that it can keep you informed. Its staff see only the people who gave it this consent, and no longer see you once you withdraw it or erase your data; what they copied before is theirs, under their own privacy policy.
- Our hosting and e-mail providers, who process data only on our instructions (Art. 28 GDPR).

## How long

- Anything you do not confirm is deleted after {unconfirmed_days} days.
- Everyone's data is erased {retention_months} months after the campaign ends.
- A sent e-mail is deleted from our outbox after {sent_mail_days} days.
- The original of an uploaded video is deleted {originals_days} days after its published copy is made.
- Backups are deleted after {backup_days} days: what you erase is gone from them by then.
- You can erase everything sooner yourself, at any time.

## Your rights

You may see what we hold about you and have a copy (Art. 15 and 20 GDPR), have it corrected (Art. 16), erased (Art. 17) or its use restricted (Art. 18), and object to processing based on our legitimate interest (Art. 21). You can withdraw any consent at any time, with effect for the future (Art. 7(3)). Your privacy page does most of this at once: follow “See or erase what we hold about you” under any form or in any of our e-mails, ask there for a link with your e-mail address, and on the page it opens see everything, download it, withdraw consents or erase it all.

## Complaints

You may complain to a data protection supervisory authority (Art. 77 GDPR). Ours is: Berliner Beauftragte für Datenschutz und Informationsfreiheit, Alt-Moabit 59–61, 10555 Berlin, Germany.""",
    "ru": """## Кто отвечает

Ответственный (контролёр) — Solidarity with Belarusian Trade Unionists e.V. (демо), Beispielstraße 1, 10115 Berlin, Германия, info@solidarity.example (см. выходные данные). Уполномоченного по защите данных мы не назначали; пишите на тот же адрес.

## Что раскрывает участие

Всё, что вы здесь делаете — письмо, видео, поддержка от организации, регистрация на мероприятие, — показывает, что вы поддерживаете заключённых профсоюзных активистов Беларуси: ваши политические взгляды и, возможно, членство в профсоюзе. Закон защищает такие данные особо (ст. 9 GDPR). Поэтому мы просим вашего явного согласия и храним как можно меньше.

## Что мы обрабатываем и зачем

- Участие в выбранной вами акции: ваше имя, адрес эл. почты, язык наших писем, страна, если вы её укажете, и то, что вы пишете или присылаете. Правовое основание: ваше явное согласие (ст. 9(2)(a) и ст. 6(1)(a) GDPR), которое вы даёте, отправляя форму после того, как прочли, что она раскрывает, и подтверждая участие по ссылке из нашего письма.
- Для каждого дальнейшего использования есть свой флажок, никогда не отмеченный заранее: новости по эл. почте, письмо от вашего имени адресатам, указанным в форме, публикация вашего имени, публикация вашего видео, передача вашего имени и адреса эл. почты организации-партнёру, названной в форме. Новости по эл. почте никогда не являются условием чего-либо; там, где флажок и есть сама акция (письмо от вашего имени, видео для публикации), без него форму не отправить. Мы записываем точный текст, который вы видели, его язык и время. Правовое основание: ваше явное согласие (ст. 9(2)(a) и ст. 6(1)(a) GDPR).
- Защита форм от злоупотреблений: чтобы считать, как часто отправляется форма, мы используем отпечаток вашего соединения, вычисленный с секретным ключом, который не является вашим адресом и меняется каждый день. Мы не храним IP-адреса, даже в журналах. Правовое основание: наш законный интерес в работающем сайте (ст. 6(1)(f) GDPR).

## Как мы храним данные

Ваше имя, адрес эл. почты и написанные вами слова хранятся в зашифрованном виде. Открыто мы храним только даты и числа (когда проходит акция, сколько человек участвовало), то, что вы выбираете из списка, и то, что вы даёте нам для публикации: название, страну и численность поддерживающей организации, имя, показываемое с вашим видео, а после того как мы опубликуем проводимую вами акцию — её название, описание и место. Этот сайт не ставит отслеживающих cookie и ничего не загружает с других сайтов, пока вы сами об этом не попросите: форма ставит один cookie, который защищает её от поддельных запросов, не содержит никаких сведений о вас и не имеет срока действия, поэтому браузер удаляет его, когда завершает свой сеанс (при закрытии, если только он не восстанавливает прежние вкладки; в приватном окне — при закрытии последнего приватного окна), а ваша страница конфиденциальности, пока открыта, ставит cookie сессии. Прежде чем опубликовать видео или фото, мы делаем новую копию без того, что файл сообщает о месте, времени и устройстве съёмки.

## Кто получает данные

- Адресаты письма — только если вы согласны отправить его от своего имени: вы видите их в форме до отправки. Некоторые находятся за пределами Европейского союза, например Международная организация труда в Женеве.
- Публика — только то, что вы согласились опубликовать, и только после одобрения модератором: на этом сайте, а видео — также в каналах кампании в соцсетях. Когда вы отзываете это согласие, опубликованное сразу снимается с этого сайта, а организаторы получают сообщение, что видео нужно снять с каналов кампании; копии, сделанные другими, нам неподвластны.
- Организаторы, которым данные нужны для их задачи; каждый просмотр персональных данных сторонника в администрировании записывается в журнал.
- Организация-партнёр, названная в отдельном флажке формы (например, профсоюзное объединение, распространившее кампанию), — только если вы отметите этот флажок: ваше имя и адрес эл. почты, чтобы она могла сообщать вам новости. Её сотрудники видят только тех, кто дал ей это согласие, и перестают видеть вас, как только вы его отзовёте или сотрёте свои данные; то, что они скопировали раньше, остаётся у них и подчиняется их собственной политике конфиденциальности.
- Наши провайдеры хостинга и эл. почты, которые обрабатывают данные только по нашим указаниям (ст. 28 GDPR).

## Как долго

- Всё, что вы не подтвердили, удаляется через {unconfirmed_days} дн.
- Данные всех участников стираются через {retention_months} мес. после окончания кампании.
- Отправленное письмо удаляется из нашей исходящей почты через {sent_mail_days} дн.
- Оригинал загруженного видео удаляется через {originals_days} дн. после создания опубликованной копии.
- Резервные копии удаляются через {backup_days} дн.: к этому сроку удалённое вами исчезает и из них.
- Вы можете стереть всё раньше сами, в любой момент.

## Ваши права

Вы можете узнать, что мы храним о вас, и получить копию (ст. 15 и 20 GDPR), потребовать исправления (ст. 16), удаления (ст. 17) или ограничения обработки (ст. 18) и возразить против обработки на основании нашего законного интереса (ст. 21). Любое согласие можно отозвать в любой момент на будущее (ст. 7(3)). Бóльшую часть этого сразу делает ваша страница конфиденциальности: перейдите по ссылке «Посмотреть или удалить то, что мы о вас храним» под любой формой или в любом нашем письме, запросите там ссылку со своим адресом эл. почты и на открывшейся странице смотрите всё, скачивайте, отзывайте согласия или удаляйте всё.

## Жалобы

Вы можете подать жалобу в надзорный орган по защите данных (ст. 77 GDPR). Наш надзорный орган: Berliner Beauftragte für Datenschutz und Informationsfreiheit, Alt-Moabit 59–61, 10555 Berlin, Германия.""",
    "be": """## Хто адказвае

Адказны (кантралёр) — Solidarity with Belarusian Trade Unionists e.V. (дэма), Beispielstraße 1, 10115 Berlin, Германія, info@solidarity.example (гл. выхадныя звесткі). Упаўнаважанага па абароне даных мы не прызначалі; пішыце на той жа адрас.

## Што раскрывае ўдзел

Усё, што вы тут робіце — ліст, відэа, падтрымка ад арганізацыі, рэгістрацыя на мерапрыемства, — паказвае, што вы падтрымліваеце зняволеных прафсаюзных актывістаў Беларусі: вашы палітычныя погляды і, магчыма, сяброўства ў прафсаюзе. Закон ахоўвае такія даныя асабліва (арт. 9 GDPR). Таму мы просім вашай яўнай згоды і захоўваем як мага менш.

## Што мы апрацоўваем і навошта

- Удзел у выбранай вамі акцыі: ваша імя, адрас эл. пошты, мова нашых лістоў, краіна, калі вы яе пазначыце, і тое, што вы пішаце або дасылаеце. Прававая падстава: ваша яўная згода (арт. 9(2)(a) і арт. 6(1)(a) GDPR), якую вы даяце, адпраўляючы форму пасля таго, як прачыталі, што яна раскрывае, і пацвярджаючы ўдзел па спасылцы з нашага ліста.
- Для кожнага далейшага выкарыстання ёсць свой сцяжок, ніколі не адзначаны загадзя: навіны па эл. пошце, ліст ад вашага імя адрасатам, пазначаным у форме, публікацыя вашага імя, публікацыя вашага відэа, перадача вашага імя і адраса эл. пошты арганізацыі-партнёру, названай у форме. Навіны па эл. пошце ніколі не з'яўляюцца ўмовай чаго-небудзь; там, дзе сцяжок і ёсць сама акцыя (ліст ад вашага імя, відэа для публікацыі), без яго форму не адправіць. Мы запісваем дакладны тэкст, які вы бачылі, яго мову і час. Прававая падстава: ваша яўная згода (арт. 9(2)(a) і арт. 6(1)(a) GDPR).
- Абарона формаў ад злоўжыванняў: каб лічыць, як часта адпраўляецца форма, мы выкарыстоўваем адбітак вашага злучэння, вылічаны з сакрэтным ключом, які не з'яўляецца вашым адрасам і мяняецца кожны дзень. Мы не захоўваем IP-адрасоў, нават у журналах. Прававая падстава: наш законны інтарэс у сайце, які працуе (арт. 6(1)(f) GDPR).

## Як мы захоўваем даныя

Ваша імя, адрас эл. пошты і напісаныя вамі словы захоўваюцца ў зашыфраваным выглядзе. Адкрыта мы захоўваем толькі даты і лікі (калі праходзіць акцыя, колькі людзей удзельнічала), тое, што вы выбіраеце са спісу, і тое, што вы даяце нам для публікацыі: назву, краіну і колькасць членаў арганізацыі, якая выказвае падтрымку, імя, якое паказваецца з вашым відэа, а пасля таго як мы апублікуем праводжаную вамі акцыю — яе назву, апісанне і месца. Гэты сайт не ставіць сачыльных cookie і нічога не загружае з іншых сайтаў, пакуль вы самі пра гэта не папросіце: форма ставіць адзін cookie, які абараняе яе ад падробленых запытаў, не змяшчае ніякіх звестак пра вас і не мае тэрміну дзеяння, таму браўзер выдаляе яго, калі завяршае свой сеанс (пры закрыцці, калі толькі ён не аднаўляе ранейшыя ўкладкі; у прыватным акне — пры закрыцці апошняга прыватнага акна), а ваша старонка прыватнасці, пакуль адкрытая, ставіць cookie сесіі. Перш чым апублікаваць відэа або фота, мы робім новую копію без таго, што файл паведамляе пра месца, час і прыладу здымкі.

## Хто атрымлівае даныя

- Адрасаты ліста — толькі калі вы згодныя адправіць яго ад свайго імя: вы бачыце іх у форме да адпраўкі. Некаторыя знаходзяцца за межамі Еўрапейскага саюза, напрыклад Міжнародная арганізацыя працы ў Жэневе.
- Публіка — толькі тое, што вы згадзіліся апублікаваць, і толькі пасля адабрэння мадэратарам: на гэтым сайце, а відэа — таксама ў каналах кампаніі ў сацсетках. Калі вы адклікаеце гэтую згоду, апублікаванае адразу здымаецца з гэтага сайта, а арганізатары атрымліваюць паведамленне, што відэа трэба зняць з каналаў кампаніі; копіі, зробленыя іншымі, нам непадуладныя.
- Арганізатары, якім даныя патрэбныя для іх задачы; кожны прагляд персанальных даных прыхільніка ў адміністраванні запісваецца ў журнал.
- Арганізацыя-партнёр, названая ў асобным сцяжку формы (напрыклад, прафсаюзнае аб'яднанне, якое пашырыла кампанію), — толькі калі вы адзначыце гэты сцяжок: ваша імя і адрас эл. пошты, каб яна магла паведамляць вам навіны. Яе супрацоўнікі бачаць толькі тых, хто даў ёй гэтую згоду, і перастаюць бачыць вас, як толькі вы яе адклічаце або сатрэце свае даныя; тое, што яны скапіравалі раней, застаецца ў іх і падпарадкоўваецца іх уласнай палітыцы прыватнасці.
- Нашы правайдары хостынгу і эл. пошты, якія апрацоўваюць даныя толькі па нашых указаннях (арт. 28 GDPR).

## Як доўга

- Усё, што вы не пацвердзілі, выдаляецца праз {unconfirmed_days} дз.
- Даныя ўсіх удзельнікаў сціраюцца праз {retention_months} мес. пасля заканчэння кампаніі.
- Адпраўлены ліст выдаляецца з нашай выходной пошты праз {sent_mail_days} дз.
- Арыгінал загружанага відэа выдаляецца праз {originals_days} дз. пасля стварэння апублікаванай копіі.
- Рэзервовыя копіі выдаляюцца праз {backup_days} дз.: да гэтага часу выдаленае вамі знікае і з іх.
- Вы можаце сцерці ўсё раней самі, у любы момант.

## Вашы правы

Вы можаце даведацца, што мы захоўваем пра вас, і атрымаць копію (арт. 15 і 20 GDPR), патрабаваць выпраўлення (арт. 16), выдалення (арт. 17) або абмежавання апрацоўкі (арт. 18) і запярэчыць супраць апрацоўкі на падставе нашага законнага інтарэсу (арт. 21). Любую згоду можна адклікаць у любы момант на будучыню (арт. 7(3)). Большую частку гэтага адразу робіць ваша старонка прыватнасці: перайдзіце па спасылцы «Паглядзець або выдаліць тое, што мы пра вас захоўваем» пад любой формай або ў любым нашым лісце, запытайце там спасылку са сваім адрасам эл. пошты і на старонцы, якая адкрыецца, глядзіце ўсё, спампоўвайце, адклікайце згоды або выдаляйце ўсё.

## Скаргі

Вы можаце падаць скаргу ў наглядны орган па абароне даных (арт. 77 GDPR). Наш наглядны орган: Berliner Beauftragte für Datenschutz und Informationsfreiheit, Alt-Moabit 59–61, 10555 Berlin, Германія.""",
    "de": """## Verantwortlicher

Verantwortlich ist Solidarity with Belarusian Trade Unionists e.V. (Demo), Beispielstraße 1, 10115 Berlin, Deutschland, info@solidarity.example (siehe Impressum). Eine Datenschutzbeauftragte haben wir nicht benannt; schreiben Sie an dieselbe Adresse.

## Was die Teilnahme verrät

Alles, was Sie hier tun — ein Brief, ein Video, eine Unterstützungserklärung, eine Anmeldung zu einer Veranstaltung —, zeigt, dass Sie inhaftierte Gewerkschafterinnen und Gewerkschafter in Belarus unterstützen: Ihre politische Meinung und vielleicht eine Gewerkschaftszugehörigkeit. Das Gesetz schützt diese Daten besonders (Art. 9 DSGVO). Deshalb bitten wir um Ihre ausdrückliche Einwilligung und speichern so wenig wie möglich.

## Was wir verarbeiten und wozu

- Teilnahme an einer Aktion, die Sie gewählt haben: Ihr Name, Ihre E-Mail-Adresse, die Sprache unserer E-Mails, das Land, wenn Sie es angeben, und was Sie schreiben oder schicken. Rechtsgrundlage: Ihre ausdrückliche Einwilligung (Art. 9 Abs. 2 lit. a und Art. 6 Abs. 1 lit. a DSGVO), die Sie geben, indem Sie das Formular absenden, nachdem Sie gelesen haben, was es verrät, und indem Sie mit dem Link aus unserer E-Mail bestätigen.
- Jede weitergehende Verwendung hat ein eigenes Kästchen, das nie vorab angekreuzt ist: Neuigkeiten per E-Mail, ein Brief in Ihrem Namen an die angezeigten Empfänger, die Veröffentlichung Ihres Namens, die Veröffentlichung Ihres Videos, die Weitergabe Ihres Namens und Ihrer E-Mail-Adresse an eine im Formular genannte Partnerorganisation. Neuigkeiten per E-Mail sind nie Bedingung für irgendetwas; wo das Kästchen die Aktion selbst ist (ein Brief in Ihrem Namen, ein Video zur Veröffentlichung), lässt sich das Formular ohne es nicht absenden. Wir speichern den genauen Wortlaut, den Sie gesehen haben, seine Sprache und die Uhrzeit. Rechtsgrundlage: Ihre ausdrückliche Einwilligung (Art. 9 Abs. 2 lit. a und Art. 6 Abs. 1 lit. a DSGVO).
- Schutz der Formulare vor Missbrauch: Um zu zählen, wie oft ein Formular gesendet wird, verwenden wir einen mit einem geheimen Schlüssel berechneten Fingerabdruck Ihrer Verbindung, der nicht Ihre Adresse ist und sich jeden Tag ändert. Wir speichern keine IP-Adresse, auch nicht in unseren Protokollen. Rechtsgrundlage: unser berechtigtes Interesse an einer funktionierenden Website (Art. 6 Abs. 1 lit. f DSGVO).

## Wie wir die Daten aufbewahren

Ihr Name, Ihre E-Mail-Adresse und die Worte, die Sie schreiben, werden verschlüsselt gespeichert. Unverschlüsselt behalten wir nur Daten und Zahlen (wann eine Aktion stattfindet, wie viele teilgenommen haben), was Sie aus einer Liste wählen, und was Sie uns zur Veröffentlichung geben: Name, Land und Größe einer unterstützenden Organisation, den Namen, der mit Ihrem Video gezeigt wird, und, sobald wir eine von Ihnen ausgerichtete Aktion veröffentlichen, deren Titel, Beschreibung und Ort. Diese Website setzt keine Tracking-Cookies und lädt nichts von anderen Websites, solange Sie es nicht selbst wünschen: Ein Formular setzt ein Cookie, das es vor gefälschten Anfragen schützt, nichts über Sie enthält und kein Ablaufdatum hat, sodass Ihr Browser es löscht, wenn er seine Sitzung beendet (beim Schließen, es sei denn, er stellt die zuletzt geöffneten Tabs wieder her; in einem privaten Fenster beim Schließen des letzten privaten Fensters), und Ihre Datenschutzseite setzt, solange sie geöffnet ist, ein Sitzungs-Cookie. Bevor wir ein Video oder Foto veröffentlichen, fertigen wir eine neue Kopie an, ohne das, was die Datei über Ort, Zeit und Aufnahmegerät verrät.

## Wer die Daten erhält

- Die Empfänger eines Briefes, nur wenn Sie zustimmen, ihn in Ihrem Namen zu senden: Sie sehen sie im Formular vor dem Absenden. Einige sitzen außerhalb der Europäischen Union, zum Beispiel die Internationale Arbeitsorganisation in Genf.
- Die Öffentlichkeit, nur was Sie zur Veröffentlichung freigegeben haben und erst nach Freigabe durch die Moderation: auf dieser Website und bei einem Video auch in den Kanälen der Kampagne in sozialen Medien. Widerrufen Sie diese Einwilligung, verschwindet es sofort von dieser Website, und die Organisatorinnen und Organisatoren werden aufgefordert, ein Video aus den Kanälen der Kampagne zu entfernen; Kopien, die andere gemacht haben, liegen außerhalb unserer Reichweite.
- Das Organisationsteam, soweit es die Daten für seine Aufgabe braucht; jeder Blick auf personenbezogene Daten von Unterstützenden in der Verwaltung wird protokolliert.
- Eine Partnerorganisation, die in einem eigenen Kästchen des Formulars genannt ist (zum Beispiel ein Gewerkschaftsbund, der die Kampagne verbreitet hat), nur wenn Sie dieses Kästchen ankreuzen: Ihr Name und Ihre E-Mail-Adresse, damit sie Sie auf dem Laufenden halten kann. Ihre Mitarbeitenden sehen nur die Menschen, die ihr diese Einwilligung gegeben haben, und sehen Sie nicht mehr, sobald Sie sie widerrufen oder Ihre Daten löschen; was sie vorher kopiert haben, liegt bei ihnen und unterliegt ihrer eigenen Datenschutzerklärung.
- Unsere Hosting- und E-Mail-Dienstleister, die Daten nur nach unserer Weisung verarbeiten (Art. 28 DSGVO).

## Wie lange

- Was Sie nicht bestätigen, wird nach {unconfirmed_days} Tagen gelöscht.
- Die Daten aller werden {retention_months} Monate nach dem Ende der Kampagne gelöscht.
- Eine gesendete E-Mail wird nach {sent_mail_days} Tagen aus unserem Postausgang gelöscht.
- Das Original eines hochgeladenen Videos wird {originals_days} Tage nach dem Erstellen der veröffentlichten Kopie gelöscht.
- Sicherungskopien werden nach {backup_days} Tagen gelöscht: Was Sie löschen, ist bis dahin auch aus ihnen verschwunden.
- Sie können alles jederzeit selbst früher löschen.

## Ihre Rechte

Sie können erfahren, was wir über Sie speichern, und eine Kopie erhalten (Art. 15 und 20 DSGVO), die Berichtigung (Art. 16), Löschung (Art. 17) oder Einschränkung der Verarbeitung (Art. 18) verlangen und der Verarbeitung aufgrund unseres berechtigten Interesses widersprechen (Art. 21). Jede Einwilligung können Sie jederzeit mit Wirkung für die Zukunft widerrufen (Art. 7 Abs. 3). Das meiste davon erledigt Ihre Datenschutzseite sofort: Folgen Sie „Sehen oder löschen, was wir über Sie gespeichert haben“ unter jedem Formular oder in jeder unserer E-Mails, fordern Sie dort mit Ihrer E-Mail-Adresse einen Link an, und auf der Seite, die er öffnet, sehen Sie alles, laden es herunter, widerrufen Einwilligungen oder löschen alles.

## Beschwerden

Sie können sich bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO). Für uns zuständig ist: Berliner Beauftragte für Datenschutz und Informationsfreiheit, Alt-Moabit 59–61, 10555 Berlin.""",
}


def _translated(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{language}": text for language, text in texts.items()}


def load(dates: DemoDates) -> None:
    changed = dates.day(date(2024, 3, 18))
    for kind, title, body in (
        (LegalPage.Kind.IMPRINT, IMPRINT_TITLE, IMPRINT),
        (LegalPage.Kind.PRIVACY, PRIVACY_TITLE, PRIVACY),
    ):
        LegalPage.objects.update_or_create(
            kind=kind,
            defaults={
                **_translated("title", title),
                **_translated("body", body),
                "updated_on": changed,
            },
        )
