package org.civharm.accountability.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refusals made before a request reaches Spring MVC are problem+json too, naming the path as the field at fault:
 * <ul>
 *   <li>Spring Security's firewall (an encoded {@code ..}, {@code %25}, {@code ;} in the path): 400, rather than the
 *       401 the error dispatch would otherwise meet;</li>
 *   <li>Tomcat itself (an encoded NUL, slash or backslash, invalid UTF-8 in the path): its error report valve writes
 *       problem+json instead of an HTML page.</li>
 * </ul>
 */
@Configuration
public class ProblemErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Bean
    RequestRejectedHandler problemRequestRejectedHandler() {
        return (request, response, e) -> write(response, HttpStatus.BAD_REQUEST.value(),
                "the request path is not acceptable: " + e.getMessage());
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    static void write(HttpServletResponse response, int status, String detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE); // JSON is UTF-8: no charset parameter
        response.getOutputStream().write(JSON.writeValueAsBytes(body(status, detail)));
        response.flushBuffer();
    }

    static Map<String, Object> body(int status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        HttpStatus known = HttpStatus.resolve(status);
        body.put("type", status == 400 ? "https://civharm.org/problems/invalid-request" : "about:blank");
        body.put("title", status == 400 ? "Invalid request" : known == null ? "Error" : known.getReasonPhrase());
        body.put("status", status);
        body.put("detail", detail);
        if (status == 400) {
            body.put("errors", List.of(Map.of("field", "path", "message", "is not an acceptable request path")));
        }
        return body;
    }

    /** Tomcat's error page for errors raised before the application (connector, URI decoding), as problem+json. */
    public static class ProblemErrorReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            try {
                String detail = status == 400 ? "the request cannot be read (request path or headers)"
                        : "the server refused the request";
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.getOutputStream().write(JSON.writeValueAsBytes(body(status, detail)));
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                // the client went away; nothing more to say
            }
        }
    }
}
