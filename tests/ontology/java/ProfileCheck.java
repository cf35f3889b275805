// Checks the union of the given ontology documents against the OWL 2 DL and OWL 2 RL
// profiles with the OWL API's own profile checkers.
//
// Usage: java ProfileCheck file.ttl [file.ttl ...]
// Output (tab-separated, one finding per line):
//   UNPARSED <file> <triple>        a triple the OWL API could not turn into an axiom
//   VIOLATION <profile> <text>      one profile violation
//   RESULT <profile> IN|OUT         the verdict per profile
// Exit code: 0 all profiles IN and nothing unparsed, 1 findings, 2 could not run.
import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.AddOntologyAnnotation;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWL2RLProfile;
import org.semanticweb.owlapi.profiles.OWLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.io.RDFParserMetaData;

public final class ProfileCheck {
    private ProfileCheck() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: ProfileCheck file.ttl [file.ttl ...]");
            System.exit(2);
        }
        int findings = 0;
        try {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            // The modules never import anything; refuse to fetch from the network.
            OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
            List<OWLOntology> parts = new ArrayList<>();
            for (String arg : args) {
                File file = new File(arg);
                OWLOntology part = manager.loadOntologyFromOntologyDocument(
                    new FileDocumentSource(file, new TurtleDocumentFormat()), config);
                OWLDocumentFormat format = part.getFormat();
                if (format != null && format.getOntologyLoaderMetaData().isPresent()) {
                    Object meta = format.getOntologyLoaderMetaData().get();
                    if (meta instanceof RDFParserMetaData) {
                        List<RDFTriple> unparsed = new ArrayList<>();
                        ((RDFParserMetaData) meta).getUnparsedTriples().forEach(unparsed::add);
                        for (RDFTriple t : unparsed) {
                            System.out.println("UNPARSED\t" + file.getName() + "\t" + t);
                            findings++;
                        }
                    }
                }
                parts.add(part);
            }
            // One ontology holding every axiom and header annotation of the parts, so that
            // declarations in one module cover uses in another.
            OWLOntology union = manager.createOntology(IRI.create("urn:crmkg:profile-check:union"));
            for (OWLOntology part : parts) {
                manager.addAxioms(union, part.axioms());
                part.annotations().forEach(
                    a -> manager.applyChange(new AddOntologyAnnotation(union, a)));
            }
            OWLProfile[] profiles = {new OWL2DLProfile(), new OWL2RLProfile()};
            for (OWLProfile profile : profiles) {
                OWLProfileReport report = profile.checkOntology(union);
                String name = profile instanceof OWL2DLProfile ? "DL" : "RL";
                for (OWLProfileViolation v : report.getViolations()) {
                    System.out.println("VIOLATION\t" + name + "\t"
                        + v.toString().replace('\n', ' ').replace('\t', ' '));
                    findings++;
                }
                System.out.println("RESULT\t" + name + "\t" + (report.isInProfile() ? "IN" : "OUT"));
            }
        } catch (Exception e) {
            System.err.println("ERROR\t" + e);
            System.exit(2);
        }
        System.exit(findings == 0 ? 0 : 1);
    }
}
