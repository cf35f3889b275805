"""The web app's two languages: which one a request gets, and every user-facing string in both.

The rule is the one the API follows: an explicit ``?lang=`` wins, then the browser's
``Accept-Language`` (q-values honoured, only ``fi`` and ``en`` considered), then ``CRMKG_LANG``,
then the server's locale — decided by :mod:`crmkg.language`, which the API and the CLI use too.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmkg.i18n import message as core_message
from crmkg.language import parse_accept_language, request_language

__all__ = ["LANGS", "MESSAGES", "choose_language", "message", "parse_accept_language"]

LANGS = ("fi", "en")

#: message id → (Finnish, English)
MESSAGES: Mapping[str, tuple[str, str]] = {
    "app.title": ("Kenen on asiakkuus?", "Whose is the customer relationship?"),
    "app.tagline": (
        "Asiakkuudet, niiden omistajat ja asiakkuusvastaavat, käsitteet ja tarkistukset — crmkg",
        "Customer relationships, their owners and leads, terms and checks — crmkg",
    ),
    "nav.label": ("Päävalikko", "Main menu"),
    "nav.home": ("Etusivu", "Home"),
    "nav.relationships": ("Asiakkuudet", "Relationships"),
    "nav.organisation": ("Organisaatio", "Organisation"),
    "nav.customers": ("Asiakkaat", "Customers"),
    "nav.dashboard": ("Hallinta", "Governance"),
    "nav.terms": ("Käsitteet", "Terms"),
    "nav.ontology": ("Ontologia", "Ontology"),
    "nav.validate": ("Tarkistus", "Validation"),
    "nav.queries": ("Kyselyt", "Queries"),
    "nav.sparql": ("SPARQL", "SPARQL"),
    "nav.apidocs": ("API", "API"),
    "lang.switch": ("In English", "Suomeksi"),
    "lang.switch.label": ("Vaihda kieli", "Change language"),
    "skip": ("Siirry sisältöön", "Skip to content"),
    "footer": (
        "crmkg {version} — kaikki sisältö palvelimelta itseltään",
        "crmkg {version} — everything served locally",
    ),
    "common.as_of": ("Päivä", "Date"),
    "common.show": ("Näytä", "Show"),
    "common.search": ("Hae", "Search"),
    "common.filter": ("Suodata", "Filter"),
    "common.none": ("ei yhtään", "none"),
    "common.unknown": ("ei tiedossa", "unknown"),
    "common.since": ("alkaen", "since"),
    "common.until": ("asti", "until"),
    "common.page": ("Sivu {page} / {pages}", "Page {page} of {pages}"),
    "common.next": ("Seuraava", "Next"),
    "common.previous": ("Edellinen", "Previous"),
    "common.pagination": ("Sivutus", "Pagination"),
    "common.count": ("{count} kpl", "{count} in all"),
    "common.any": ("kaikki", "any"),
    "common.yes": ("kyllä", "yes"),
    "common.no": ("ei", "no"),
    "common.download": ("Lataa", "Download"),
    "common.run": ("Suorita", "Run"),
    "common.iri": ("IRI", "IRI"),
    "common.types": ("Tyypit", "Types"),
    "common.label": ("Nimi", "Label"),
    "common.error": ("Virhe", "Error"),
    "common.not_found": ("Ei löytynyt", "Not found"),
    "common.today": ("tänään", "today"),
    "common.query": ("kysely", "query"),
    "home.intro": (
        "Tämä on crmkg:n selainnäkymä: etsi asiakkuus ja katso, kuka sen omistaa ja kuka sitä vastaa nyt ja "
        "historian aikana, selaa organisaatiota, lue käsitteet suomeksi tai englanniksi, tarkista tiedostoja "
        "ja aja kyselyluettelon kysymyksiä.",
        "This is crmkg in the browser: find a customer relationship and see who owns and who leads it now and "
        "through its history, browse the organisation, read every term in Finnish or English, validate files "
        "and run the catalogue's questions.",
    ),
    "home.stats": ("Ladattu tieto", "Loaded data"),
    "home.triples": ("kolmikkoa", "triples"),
    "rel.list.title": ("Asiakkuudet", "Customer relationships"),
    "rel.q": ("Nimessä", "Name contains"),
    "rel.customer": ("Asiakasosapuoli (IRI tai CURIE)", "Customer party (IRI or CURIE)"),
    "rel.provider": ("Palveluntarjoaja (IRI tai CURIE)", "Provider (IRI or CURIE)"),
    "rel.owner": ("Omistaja (IRI tai CURIE)", "Owner (IRI or CURIE)"),
    "rel.lead": ("Asiakkuusvastaava (IRI tai CURIE)", "Lead (IRI or CURIE)"),
    "rel.unit": ("Yksikkö (IRI tai CURIE)", "Unit (IRI or CURIE)"),
    "rel.scope": ("Sisäinen / ulkoinen", "Internal / external"),
    "rel.scope.internal": ("sisäinen", "internal"),
    "rel.scope.external": ("ulkoinen", "external"),
    "rel.active": ("Voimassa päivänä", "Active on"),
    "rel.findings": ("Tarkistuslöydöksiä", "Has findings"),
    "rel.findings.unavailable": (
        "Löydössuodatin on käytössä, kun ladattu tieto on tarkistettu tarkistussivulla.",
        "The findings filter works once the loaded data has been validated on the validation page.",
    ),
    "rel.col.relationship": ("Asiakkuus", "Relationship"),
    "rel.col.provider": ("Palveluntarjoaja", "Provider"),
    "rel.col.owner": ("Omistaja", "Owner"),
    "rel.col.lead": ("Asiakkuusvastaava", "Lead"),
    "rel.col.period": ("Voimassa", "Active"),
    "rel.none": ("Ehtoja vastaavia asiakkuuksia ei löytynyt.", "No relationship matches."),
    "rel.parties": ("Asiakasosapuolet rooleittain", "Customer parties by capacity"),
    "rel.responsible": ("Omistaja ja asiakkuusvastaava", "Owner and lead"),
    "rel.accountable": ("tehtävän haltija", "held by"),
    "rel.timeline": ("Omistajat ja asiakkuusvastaavat ajan mittaan", "Owners and leads over time"),
    "rel.timeline.desc": (
        "Aikajana: {owners} omistajuusjaksoa, {leads} vastuujaksoa, {handovers} vaihdosta, {plans} suunnitelmaa, "
        "{followups} seurantaa.",
        "Timeline: {owners} ownership periods, {leads} lead periods, {handovers} handovers, {plans} plans, "
        "{followups} follow-ups.",
    ),
    "rel.timeline.legend": ("Selite", "Legend"),
    "rel.handover": ("vaihdos", "handover"),
    "rel.plan": ("suunnitelma", "plan"),
    "rel.followup": ("seuranta", "follow-up"),
    "rel.history": ("Vaihdokset", "Handovers"),
    "rel.history.from": ("edellinen", "previous"),
    "rel.history.to": ("uusi", "new"),
    "rel.plans": ("Suunnitelmat ja seurannat", "Plans and follow-ups"),
    "rel.findings.title": ("Tarkistuslöydökset", "Validation findings"),
    "rel.findings.none": ("Tälle asiakkuudelle ei ole löydöksiä.", "No findings for this relationship."),
    "rel.findings.not_run": (
        "Ladattua tietoa ei ole vielä tarkistettu; tee se tarkistussivulla.",
        "The loaded data has not been validated yet; do it on the validation page.",
    ),
    # the role names are the CLI's and the API's (one wording of owner and lead everywhere)
    "rel.role.owner": (core_message("role.owner", "fi"), core_message("role.owner", "en")),
    "rel.role.lead": (core_message("role.lead", "fi"), core_message("role.lead", "en")),
    "rel.api": ("Sama JSON-muodossa", "The same as JSON"),
    "cap.user": ("käyttäjä", "user"),
    "cap.negotiator": ("neuvottelukumppani", "negotiating partner"),
    "cap.payer": ("maksaja", "payer"),
    "agent.title": ("Mitä {label} omistaa ja vastaa", "What {label} owns and leads"),
    "agent.owns": ("Omistaa", "Owns"),
    "agent.leads": ("Vastaa", "Leads"),
    "agent.via": ("tehtävän {post} kautta", "through the post {post}"),
    "org.title": ("Organisaatio", "Organisation"),
    "org.holders": ("haltija", "held by"),
    "org.vacant": ("avoin", "vacant"),
    "org.posts": ("{count} tehtävää", "{count} posts"),
    "org.how.holds": ("hoitaa tehtävää", "holds the post"),
    "org.how.member": ("jäsen", "member"),
    "org.how.head": ("johtaja", "head"),
    "org.how.postIn": ("tehtävä yksikössä", "post in"),
    "org.how.post": ("tehtävä", "post"),
    "org.empty": ("Organisaatiota ei löytynyt ladatusta tiedosta.", "No organisation in the loaded data."),
    "customers.title": ("Asiakkaat", "Customers"),
    "customer.title": ("Asiakas {label}", "Customer {label}"),
    "customer.relationships": ("Asiakkuudet koko konsernissa", "Relationships across the group"),
    "customer.capacities": ("Roolit", "Capacities"),
    "dash.title": ("Asiakkuuksien hallinta", "Governance of customer relationships"),
    "dash.intro": (
        "Esseen kysymykset kuvina: onko asiakkuuksien johtaminen jätetty myyntijohdolle, onko jokaisella "
        "asiakkuudella omistaja ja asiakkuusvastaava, seurataanko suunnitelmia ja millä perusteella.",
        "The essay's questions as charts: is customer relationship management left to sales management, does "
        "every relationship have an owner and a lead, are plans followed up, and on what basis.",
    ),
    "dash.by_function": ("Omistajuus funktioittain", "Ownership by function"),
    "dash.missing": ("Asiakkuudet ilman omistajaa tai asiakkuusvastaavaa", "Relationships without owner or lead"),
    "dash.plan_gaps": ("Suunnitelmat ilman seurantaa", "Plans without follow-up"),
    "dash.bases": ("Seurannan perusteet", "Follow-up bases"),
    "dash.query": ("Kysely tämän takana: {id}", "The query behind it: {id}"),
    "dash.no_function": ("(ei funktiota)", "(no function)"),
    "dash.finding.no-current-plan": ("ei voimassa olevaa suunnitelmaa", "no current plan"),
    "dash.finding.no-recent-follow-up": ("ei tuoretta seurantaa", "no recent follow-up"),
    "dash.empty": ("Ei rivejä.", "No rows."),
    "terms.title": ("Käsitteet", "Terms"),
    "terms.q": ("Hae käsitettä (suomeksi tai englanniksi)", "Search a term (Finnish or English)"),
    "terms.hits": ("{count} osumaa", "{count} hits"),
    "terms.matched": ("osui: {text} ({lang}, {how})", "matched: {text} ({lang}, {how})"),
    "terms.labels": ("Nimet", "Labels"),
    "terms.definition": ("Määritelmä", "Definition"),
    "terms.scope_note": ("Huomautus", "Scope note"),
    "terms.example": ("Esimerkki", "Example"),
    "terms.source": ("Lähde", "Source"),
    "terms.locator": ("Kohta esseessä", "Where in the essay"),
    "terms.paraphrase": ("Tiimin mukaelma", "The team's paraphrase"),
    "terms.parents": ("Yläkäsitteet", "Super-terms"),
    "terms.children": ("Alakäsitteet", "Sub-terms"),
    "terms.domain": ("Määrittelyjoukko (domain)", "Domain"),
    "terms.range": ("Arvojoukko (range)", "Range"),
    "terms.alignments": ("Vastaavuudet muihin sanastoihin", "Alignments"),
    "terms.shapes": ("Tarkistukset (SHACL)", "Shapes that check it"),
    "terms.queries": ("Kyselyt, jotka käyttävät sitä", "Queries that use it"),
    "terms.deprecated": ("Vanhentunut", "Deprecated"),
    "terms.kind": ("Laji", "Kind"),
    "terms.ontology_doc": ("Ontologian dokumentaatiossa", "In the ontology documentation"),
    "onto.title": ("Ontologian dokumentaatio", "Ontology documentation"),
    "onto.classes": ("Luokat", "Classes"),
    "onto.object_properties": ("Objektiominaisuudet", "Object properties"),
    "onto.datatype_properties": ("Tietotyyppiominaisuudet", "Datatype properties"),
    "onto.annotation_properties": ("Annotaatio-ominaisuudet", "Annotation properties"),
    "onto.schemes": ("Käsitejärjestelmät", "Concept schemes"),
    "onto.diagram": ("Luokkakaavio", "Class diagram"),
    "onto.diagram.desc": (
        "Luokat ja niiden aliluokkasuhteet (ontologiasta generoitu).",
        "Classes and their sub-class relations (generated from the ontology).",
    ),
    "onto.downloads": ("Lataa ontologia", "Download the ontology"),
    "onto.concepts": ("Käsitteet", "Concepts"),
    "onto.version": ("Versio", "Version"),
    "onto.contents": ("Sisällys", "Contents"),
    "val.title": ("Tarkistus", "Validation"),
    "val.upload": ("Tarkista tiedostoja", "Validate files"),
    "val.files": (
        "RDF-tiedostot (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML)",
        "RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML)",
    ),
    "val.loaded": ("Tarkista ladattu tieto", "Validate the loaded data"),
    "val.token": ("Tunniste (jos palvelin vaatii)", "Token (if the server requires one)"),
    "val.limit": ("Enintään {size} yhteensä.", "At most {size} in all."),
    "val.conforms": ("Tieto on muotojen mukaista.", "The data conforms to the shapes."),
    "val.not_conforms": (
        "Tieto ei ole muotojen mukaista: {count} löydöstä.",
        "The data does not conform: {count} findings.",
    ),
    "val.by_shape": ("Löydökset muodoittain", "Findings by shape"),
    "val.focus": ("Kohde", "Focus node"),
    "val.path": ("Polku", "Path"),
    "val.value": ("Arvo", "Value"),
    "val.message": ("Viesti", "Message"),
    "val.severity": ("Vakavuus", "Severity"),
    "val.where": ("Sijainti", "Location"),
    "val.report_of": ("Raportti: {source}", "Report: {source}"),
    "q.title": ("Kyselyluettelo", "Query catalogue"),
    "q.params": ("Parametrit", "Parameters"),
    "q.results": ("Tulokset", "Results"),
    "q.rows": ("{count} riviä", "{count} rows"),
    "q.truncated": ("Tulos katkaistiin rivirajaan.", "The answer was cut at the row cap."),
    "q.csv": ("Lataa CSV", "Download CSV"),
    "q.sparql": ("SPARQL-teksti", "SPARQL text"),
    "q.open_editor": ("Avaa editorissa", "Open in the editor"),
    "q.required": ("pakollinen", "required"),
    "q.kind.cq": ("Kompetenssikysymykset", "Competency questions"),
    "q.kind.qc": ("Laatutarkistukset", "Quality checks"),
    "sparql.title": ("SPARQL-editori", "SPARQL editor"),
    "sparql.query": ("Kysely", "Query"),
    "sparql.examples": ("Esimerkit kyselyluettelosta", "Examples from the catalogue"),
    "sparql.load": ("Lataa esimerkki", "Load example"),
    "sparql.note": (
        "Kysely ajetaan vain luku -tilassa, aikarajan ja rivirajan kanssa (/sparql).",
        "Queries run read-only, with a time limit and a row cap (/sparql).",
    ),
    "sev.violation": ("rikkomus", "violation"),
    "sev.warning": ("varoitus", "warning"),
    "sev.info": ("huomio", "info"),
    "kind.class": ("luokka", "class"),
    "kind.objectProperty": ("objektiominaisuus", "object property"),
    "kind.datatypeProperty": ("tietotyyppiominaisuus", "datatype property"),
    "kind.annotationProperty": ("annotaatio-ominaisuus", "annotation property"),
    "kind.scheme": ("käsitejärjestelmä", "concept scheme"),
    "kind.concept": ("käsite", "concept"),
    "kind.individual": ("yksilö", "individual"),
    "terms.lang": ("kieli", "language"),
    "error.title": ("Jokin meni vikaan", "Something went wrong"),
}


def message(key: str, lang: str, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (English for any other language), with ``values`` filled in."""
    fi, en = MESSAGES[key]
    text = fi if lang == "fi" else en
    return text.format(**values) if values else text


def choose_language(explicit: str | None, accept_language: str | None, default: str) -> str:
    """``explicit`` if it is fi/en, else the best fi/en the browser accepts, else ``default`` (else fi):
    :func:`crmkg.language.request_language`, except that a page ignores a ``?lang=`` it cannot speak."""
    return request_language(
        explicit if explicit in LANGS else None, accept_language, default if default in LANGS else LANGS[0]
    )
