# input: 3, 224, 224
# ZFNet as a blog writes it: 256 * 6 * 6 = 9216, but the sizes give 256 * 5 * 5 = 6400
model = nn.Sequential(
    nn.Conv2d(3, 96, 7, 2, 1), nn.ReLU(), nn.MaxPool2d(3, 2),
    nn.Conv2d(96, 256, 5, 2, 0), nn.ReLU(), nn.MaxPool2d(3, 2),
    nn.Conv2d(256, 384, 3, 1, 1), nn.ReLU(),
    nn.Conv2d(384, 384, 3, 1, 1), nn.ReLU(),
    nn.Conv2d(384, 256, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(3, 2),
    nn.Flatten(),
    nn.Linear(256 * 6 * 6, 4096), nn.ReLU(), nn.Dropout(0.5),
    nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
    nn.Linear(4096, 1000))
