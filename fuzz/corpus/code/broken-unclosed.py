# input: 1, 28, 28
net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(),
    nn.MaxPool2d(2,
    nn.Flatten(),
    nn.Linear(6 * 14 * 14, 10)
