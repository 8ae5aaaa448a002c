package io.tally.http;

/** An error the Docker API reports as {@code {"message": …}} with the given HTTP status. */
public class DockerApiException extends RuntimeException {
    private final int status;

    public DockerApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static DockerApiException badRequest(String message) {
        return new DockerApiException(400, message);
    }

    public static DockerApiException notFound(String message) {
        return new DockerApiException(404, message);
    }

    public static DockerApiException conflict(String message) {
        return new DockerApiException(409, message);
    }
}
