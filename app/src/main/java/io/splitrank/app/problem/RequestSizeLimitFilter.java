package io.splitrank.app.problem;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses request bodies over the configured size with 413 before they are read into memory: by
 * Content-Length when it is given, and by counting bytes when the body is chunked.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final JsonMapper json;
    private final long maxBytes;

    RequestSizeLimitFilter(JsonMapper json, ApiProperties properties) {
        this.json = json;
        this.maxBytes = properties.maxBodyBytes();
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            HttpStatus status = HttpStatus.CONTENT_TOO_LARGE;
            response.setStatus(status.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setHeader("Connection", "close");
            json.writeValue(
                    response.getOutputStream(),
                    ProblemDetailsAdvice.problem(
                                    status,
                                    new RequestTooLargeException(maxBytes).getMessage(),
                                    List.of())
                            .getBody());
            return;
        }
        chain.doFilter(length < 0 ? new LimitedRequest(request, maxBytes) : request, response);
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long maxBytes;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream =
                        new ServletInputStream() {
                            private long read;

                            @Override
                            public int read() throws IOException {
                                int b = in.read();
                                if (b >= 0) {
                                    count(1);
                                }
                                return b;
                            }

                            @Override
                            public int read(byte[] buf, int off, int len) throws IOException {
                                int n = in.read(buf, off, len);
                                if (n > 0) {
                                    count(n);
                                }
                                return n;
                            }

                            private void count(int n) throws IOException {
                                read += n;
                                if (read > maxBytes) {
                                    throw new RequestTooLargeException(maxBytes);
                                }
                            }

                            @Override
                            public boolean isFinished() {
                                return in.isFinished();
                            }

                            @Override
                            public boolean isReady() {
                                return in.isReady();
                            }

                            @Override
                            public void setReadListener(ReadListener listener) {
                                in.setReadListener(listener);
                            }
                        };
            }
            return stream;
        }
    }
}
